package cli

import (
	"flag"

	"fenghuo/internal/config"
)

// loadDataConfig parses the flags of a command that opens the data
// directory and the database but serves nothing: only those settings are
// flags (and so in its --help); the configuration file and FENGHUO_*
// variables are read as for serve.
func loadDataConfig(env *Env, name, usage string, args []string, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	return loadConfigOf(env, name, usage, args, config.DataSettings, extra)
}

// loadConfigOf is loadDataConfig with the settings that are flags given.
func loadConfigOf(env *Env, name, usage string, args []string, settings []string, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	fs := newFlags(env, name, usage)
	var scratch config.Config
	file := config.BindOnly(fs, &scratch, settings...)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return config.Config{}, nil, err
	}
	cfg, err := config.Load(fs, *file, env.Getenv)
	return cfg, pos, err
}
