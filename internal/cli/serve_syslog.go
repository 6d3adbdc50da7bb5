package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"fenghuo/internal/app/services"
	"fenghuo/internal/ingest/syslogd"
)

// syslogFlags are serve's syslog receiver options (issue 14).
type syslogFlags struct {
	udp, tcp, tls, cert, key string
}

func (f *syslogFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.udp, "syslog-udp", "", "receive syslog on this UDP address (RFC 5426), e.g. :514")
	fs.StringVar(&f.tcp, "syslog-tcp", "", "receive syslog on this TCP address (RFC 6587, octet-counted or LF-framed), e.g. :514")
	fs.StringVar(&f.tls, "syslog-tls", "", "receive syslog over TLS on this address (RFC 5425), e.g. :6514; needs --syslog-tls-cert and --syslog-tls-key")
	fs.StringVar(&f.cert, "syslog-tls-cert", "", "PEM certificate file of the syslog TLS listener")
	fs.StringVar(&f.key, "syslog-tls-key", "", "PEM private key file of the syslog TLS listener")
}

// syslogShutdownTimeout bounds how long stopping waits for the batches
// being committed.
const syslogShutdownTimeout = 15 * time.Second

// startSyslog starts the syslog receiver when an address is given: its
// messages go to the intake service, under the intake source each
// sender's address is bound to. stop commits what has been read and
// stops it.
func startSyslog(env *Env, f syslogFlags, a *services.Services, log *slog.Logger) (stop func(), err error) {
	if f.udp == "" && f.tcp == "" && f.tls == "" {
		if f.cert != "" || f.key != "" {
			return nil, usagef("--syslog-tls-cert and --syslog-tls-key need --syslog-tls ADDR")
		}
		return func() {}, nil
	}
	recv, err := syslogd.New(syslogd.Config{Sink: a.Intake, Resolver: a.Intake, UDP: f.udp, TCP: f.tcp, TLS: f.tls,
		TLSCert: f.cert, TLSKey: f.key, Logger: log.With("component", "syslogd"), Now: a.Core.Now})
	if err != nil {
		return nil, err
	}
	if err := recv.Start(); err != nil {
		return nil, err
	}
	for _, transport := range []string{"udp", "tcp", "tls"} {
		if addr := recv.Addr(transport); addr != nil {
			log.Info("syslog receiver listening", "transport", transport, "addr", addr.String())
			fmt.Fprintf(env.Stdout, "Syslog receiver on %s %s (messages from addresses bound to an intake source)\n", transport, addr)
		}
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), syslogShutdownTimeout)
		defer cancel()
		if err := recv.Shutdown(ctx); err != nil {
			log.Warn("syslog receiver", "err", err)
		}
		st := recv.Stats()
		log.Info("syslog receiver stopped", "received", st.Received, "accepted", st.Accepted, "dropped", st.Dropped)
	}, nil
}
