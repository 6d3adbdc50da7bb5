package cli

import "context"

func runServe(ctx context.Context, env *Env, args []string) error {
	return usagef("serve is not available yet in this build")
}
