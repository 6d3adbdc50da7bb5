package auditlog

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/audit"
	"fenghuo/internal/durable"
	"fenghuo/internal/fenghuo"
)

// AnchorRecord is the last anchor written, as the console shows it: kept in
// the settings table under anchorSettingKey (for display only: what counts
// is the anchor file and the syslog server, outside the database).
type AnchorRecord struct {
	Time time.Time `json:"time"`
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	// File and Syslog are the destinations written to; an error says why
	// one failed.
	File        string `json:"file,omitempty"`
	FileError   string `json:"file_error,omitempty"`
	Syslog      string `json:"syslog,omitempty"`
	SyslogError string `json:"syslog_error,omitempty"`
}

const anchorSettingKey = "audit.anchor.last"

// syslogTimeout bounds one syslog delivery, so that an unreachable server
// does not hold up the scheduler or the shutdown.
const syslogTimeout = 5 * time.Second

// WriteAnchor writes the chain's head (SEQ:HASH with the time) to the anchor
// file, appended and synced, and sends it to syslog as an RFC 5424 message,
// whichever are configured. With force false it writes nothing when the head
// is the one this process anchored last. The error names each destination
// that failed; the other is written all the same.
func (a *Service) WriteAnchor(ctx context.Context, force bool) (*AnchorRecord, error) {
	k := a.core.Config().AuditKeeping
	if k.AnchorFile == "" && k.AnchorSyslog == "" {
		return nil, nil
	}
	head, err := a.core.DB().AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	same := a.lastAnchor.Seq == head.Seq && bytes.Equal(a.lastAnchor.Hash, head.Hash)
	a.mu.Unlock()
	if head.Seq == 0 || (same && !force) {
		return nil, nil
	}
	now := a.core.Now()
	rec := &AnchorRecord{Time: now.UTC(), Seq: head.Seq, Hash: hex.EncodeToString(head.Hash), File: k.AnchorFile, Syslog: k.AnchorSyslog}
	var errs []error
	if k.AnchorFile != "" {
		if err := appendAnchor(k.AnchorFile, audit.AnchorLine(head, now)); err != nil {
			anchorFailures.WithLabelValues("file").Inc()
			rec.FileError = err.Error()
			errs = append(errs, fmt.Errorf("anchor file %s: %w", k.AnchorFile, err))
		} else {
			anchorsWritten.WithLabelValues("file").Inc()
		}
	}
	if k.AnchorSyslog != "" {
		host, _ := os.Hostname()
		if err := sendSyslog(ctx, k.AnchorSyslog, audit.SyslogMessage(head, now, host)); err != nil {
			anchorFailures.WithLabelValues("syslog").Inc()
			rec.SyslogError = err.Error()
			errs = append(errs, fmt.Errorf("anchor to syslog %s: %w", k.AnchorSyslog, err))
		} else {
			anchorsWritten.WithLabelValues("syslog").Inc()
		}
	}
	if len(errs) == 0 {
		a.mu.Lock()
		a.lastAnchor = head
		a.mu.Unlock()
	}
	if b, err := json.Marshal(rec); err == nil {
		if err := a.core.DB().SetSetting(ctx, anchorSettingKey, string(b)); err != nil {
			errs = append(errs, err)
		}
	}
	return rec, errors.Join(errs...)
}

// appendAnchor appends line to the anchor file and syncs it (and, when it
// created the file, its directory), so that an anchor reported written
// survives a power cut.
func appendAnchor(path, line string) error {
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	if created {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	if created {
		return durable.Close(f)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sendSyslog delivers one RFC 5424 message to dest: udp://host:port (one
// datagram), tcp://host:port (octet-counted framing, RFC 6587) or "local"
// (the host's /dev/log datagram socket).
func sendSyslog(ctx context.Context, dest, msg string) error {
	network, addr := "unixgram", "/dev/log"
	if dest != "local" {
		u, err := url.Parse(dest)
		if err != nil || (u.Scheme != "udp" && u.Scheme != "tcp") {
			return fenghuo.Errorf(fenghuo.EINVALID, "audit_anchor_syslog %q: give udp://host:port, tcp://host:port or local.", dest)
		}
		network, addr = u.Scheme, u.Host
	}
	ctx, cancel := context.WithTimeout(ctx, syslogTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if network == "tcp" {
		msg = fmt.Sprintf("%d %s", len(msg), msg)
	}
	_, err = conn.Write([]byte(msg))
	return err
}

// AnchorPass is the scheduler's anchor pass: every AnchorInterval it
// anchors the head if it moved. Problems are logged and counted in
// /metrics (fenghuo_audit_anchor_failures_total), never returned, so that
// the obligations of the same pass still run.
func (a *Service) AnchorPass(ctx context.Context) (int, error) {
	k := a.core.Config().AuditKeeping
	interval := k.AnchorInterval
	if interval == 0 {
		interval = app.DefaultAnchorInterval
	}
	now := a.core.Now()
	a.mu.Lock()
	due := a.lastAnchorPass.IsZero() || now.Sub(a.lastAnchorPass) >= interval
	if due {
		a.lastAnchorPass = now
	}
	a.mu.Unlock()
	if !due {
		return 0, nil
	}
	rec, err := a.WriteAnchor(ctx, false)
	if err != nil {
		a.core.Logger().Error("audit anchor", "err", err)
	}
	if rec == nil {
		return 0, nil
	}
	return 1, nil
}

// LastAnchor returns the last anchor written by any replica, nil when none.
func (a *Service) lastAnchorRecord(ctx context.Context) (*AnchorRecord, error) {
	v, err := a.core.DB().Setting(ctx, anchorSettingKey)
	if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec AnchorRecord
	if err := json.Unmarshal([]byte(v), &rec); err != nil {
		return nil, nil // a damaged display record shows as none
	}
	return &rec, nil
}
