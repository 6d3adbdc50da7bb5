package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// Personal data (issue 15 item 5, docs/security.md): the contacts of people
// are sealed with SM4 before they are written and opened after they are
// read, here in the store, so callers keep plain strings and nothing above
// the store can forget to seal. Each value is bound to its table, column
// and row (pii.Binding), so a sealed value copied to another row does not
// open.

// personalColumn is a column holding a person's contact.
type personalColumn struct {
	table, column string
	kind          pii.Kind
	// digest names the column holding the keyed digest, where a search
	// needs one ("" for none).
	digest string
}

// personalColumns are every column of personal data. Report content
// (a plan's form fields, which may include a phone) and an incident's
// caller are free text of a filed document and stay as they are.
var personalColumns = []personalColumn{
	{"orgs", "liaison_mobile", pii.Phone, "liaison_mobile_digest"},
	{"orgs", "duty_phone", pii.Phone, ""},
	{"orgs", "fax", pii.Phone, ""},
	{"orgs", "report_email", pii.Email, "report_email_digest"},
	{"systems", "responsible_phone", pii.Phone, ""},
	{"users", "email", pii.Email, "email_digest"},
	{"users", "mobile", pii.Phone, "mobile_digest"},
	{"reports", "reporter_phone", pii.Phone, ""},
	{"duty_shifts", "phone", pii.Phone, ""},
	{"command_members", "phone", pii.Phone, ""},
}

func findPersonal(table, column string) (personalColumn, bool) {
	for _, c := range personalColumns {
		if c.table == table && c.column == column {
			return c, true
		}
	}
	return personalColumn{}, false
}

// UsePersonalData gives the store the codec that seals personal data. Call
// it once, right after Open and before the database is used: without it,
// writing or reading a non-empty personal value fails.
func (db *DB) UsePersonalData(c *pii.Codec) { db.pii = c }

var errNoCodec = errors.New("store: personal data needs the sealing key, and the store was given none (UsePersonalData)")

// personal is one personal field of a row: its column and the caller's
// plain value.
type personal struct {
	column string
	value  *string
}

// setPersonal seals the given fields of row id of table and writes them
// with their digests. Inserts write the row first (sealing binds the value
// to the row's id) and then call this.
func (tx *Tx) setPersonal(ctx context.Context, table string, id int64, fields ...personal) error {
	var set []string
	var args []any
	for _, f := range fields {
		col, ok := findPersonal(table, f.column)
		if !ok {
			return fmt.Errorf("store: %s.%s is not a personal column", table, f.column)
		}
		sealed, digest, err := tx.db.sealPersonal(col, id, *f.value)
		if err != nil {
			return err
		}
		set, args = append(set, col.column+" = ?"), append(args, sealed)
		if col.digest != "" {
			set, args = append(set, col.digest+" = ?"), append(args, digest)
		}
	}
	// Names come from personalColumns, never from input.
	_, err := tx.c.exec(ctx, "UPDATE "+table+" SET "+strings.Join(set, ", ")+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return fmt.Errorf("store: %s %d: personal data: %w", table, id, err)
	}
	return nil
}

func (db *DB) sealPersonal(col personalColumn, id int64, value string) (sealed, digest string, err error) {
	if value == "" {
		return "", "", nil
	}
	if db.pii == nil {
		return "", "", errNoCodec
	}
	at := pii.Binding{Column: col.table + "." + col.column, Row: id}
	if sealed, err = db.pii.Seal(value, at); err != nil {
		return "", "", fmt.Errorf("store: %s %d: %w", col.table, id, err)
	}
	return sealed, db.pii.Digest(col.kind, value), nil
}

// openPersonal replaces the stored (sealed) values of row id's fields with
// their plain values. A value that does not open (another key, altered,
// moved from another row) is an error naming the row, never shown.
func (tx *Tx) openPersonal(table string, id int64, fields ...personal) error {
	for _, f := range fields {
		if *f.value == "" {
			continue
		}
		if tx.db.pii == nil {
			return errNoCodec
		}
		plain, err := tx.db.pii.Open(*f.value, pii.Binding{Column: table + "." + f.column, Row: id})
		if err != nil {
			return fmt.Errorf("store: %s %d %s: %w", table, id, f.column, err)
		}
		*f.value = plain
	}
	return nil
}

// digestMatch is the condition and argument of an exact search of a
// digest column for value; it matches nothing without a codec or a value.
func (tx *Tx) digestMatch(column string, k pii.Kind, value string) (string, []any) {
	if tx.db.pii == nil {
		return "1 = 0", nil
	}
	d := tx.db.pii.Digest(k, value)
	if d == "" {
		return "1 = 0", nil
	}
	return column + " = ?", []any{d}
}

// searchKind tells whether a search text is an e-mail address or a phone
// number, which are searched by digest (exactly), not by LIKE.
func searchKind(q string) (pii.Kind, bool) {
	q = strings.TrimSpace(q)
	if strings.Contains(q, "@") {
		return pii.Email, true
	}
	if fenghuo.IsPhone(q) && len(pii.Normalize(pii.Phone, q)) >= 7 {
		return pii.Phone, true
	}
	return 0, false
}

// sealBatch is how many rows one transaction of the upgrade pass seals.
const sealBatch = 500

// SealPersonalData seals every personal value still stored in plain text
// (a value without the sealed prefix: from before migration 0037, or
// restored from an older backup) and fills its digest; it returns how many
// rows it changed. It is idempotent and runs at every start: each batch of
// rows is one transaction, so an interrupted pass leaves every row either
// sealed or as it was, and the next start finishes it. A pass that
// completes records it (setting personalSealedSetting); later starts then
// skip the scan of every table, since the store only ever writes sealed
// values. A database restored from an older backup lacks the record, so its
// next start runs the pass.
func (db *DB) SealPersonalData(ctx context.Context) (int, error) {
	if db.pii == nil {
		return 0, errNoCodec
	}
	done, err := db.Setting(ctx, personalSealedSetting)
	if err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
		return 0, err
	}
	if done == "1" {
		return 0, nil
	}
	tables := []string{}
	byTable := map[string][]personalColumn{}
	for _, c := range personalColumns {
		if byTable[c.table] == nil {
			tables = append(tables, c.table)
		}
		byTable[c.table] = append(byTable[c.table], c)
	}
	total := 0
	for _, table := range tables {
		cols := byTable[table]
		var names, plain []string
		for _, c := range cols {
			names = append(names, c.column)
			plain = append(plain, "("+c.column+" <> '' AND "+c.column+" NOT LIKE '"+pii.SealedPrefix+"%')")
		}
		// Names come from personalColumns, never from input.
		query := "SELECT id, " + strings.Join(names, ", ") + " FROM " + table + " WHERE id > ? AND (" +
			strings.Join(plain, " OR ") + ") ORDER BY id LIMIT ?"
		for after := int64(0); ; {
			n := 0
			err := db.WithTx(ctx, func(tx *Tx) error {
				type row struct {
					id   int64
					vals []string
				}
				rows, err := tx.c.query(ctx, query, after, sealBatch)
				if err != nil {
					return err
				}
				var batch []row
				for rows.Next() {
					r := row{vals: make([]string, len(cols))}
					dst := []any{&r.id}
					for i := range r.vals {
						dst = append(dst, &r.vals[i])
					}
					if err := rows.Scan(dst...); err != nil {
						rows.Close()
						return err
					}
					batch = append(batch, r)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				for _, r := range batch {
					var fields []personal
					for i, c := range cols {
						if r.vals[i] != "" && !pii.IsSealed(r.vals[i]) {
							fields = append(fields, personal{c.column, &r.vals[i]})
						}
					}
					if err := tx.setPersonal(ctx, table, r.id, fields...); err != nil {
						return err
					}
					after = r.id
				}
				n = len(batch)
				return nil
			})
			if err != nil {
				return total, fmt.Errorf("store: seal personal data in %s: %w", table, err)
			}
			total += n
			if n < sealBatch {
				break
			}
		}
	}
	return total, db.SetSetting(ctx, personalSealedSetting, "1")
}

// personalSealedSetting records that SealPersonalData completed once.
const personalSealedSetting = "store.personal_data_sealed"
