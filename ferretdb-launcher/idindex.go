package main

// FerretDB 1.24's SQLite backend finds a document by key with
// `WHERE _ferretdb_sjson->'$._id' = ?` (find, update and delete whose filter is
// `{_id}` alone), but the unique index it creates for _id is on
// `_ferretdb_sjson->"_id"`. SQLite matches an index expression by its text, so
// that index is never used and every such look-up reads the whole table. An
// index on the very expression FerretDB queries turns them into index searches.
// FerretDB knows nothing of this index: it keeps its own list of indexes, and
// dropping a collection (the table) or a database (the file) drops it too.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

const (
	idLookupExpr = `_ferretdb_sjson->'$._id'`

	// FerretDB names its indexes "<table>_<index name>" and never starts a table
	// name with _ferretdb_, so no index a client creates can take this name.
	idIndexPrefix = "_ferretdb_id_lookup_"

	idIndexEvery = time.Second

	// FerretDB's own write transactions are short; waiting longer than this
	// would only delay the next try, which comes a second later anyway.
	busyTimeoutMS = 2000
)

// keepIDIndexes creates the look-up index wherever it is missing, now and then
// every second until ctx ends. A failure is logged once (not every second) and
// retried; nothing here can stop FerretDB.
func keepIDIndexes(ctx context.Context, dir string, l *slog.Logger) {
	logged := map[string]string{}

	for {
		failures := ensureIDIndexes(ctx, dir, l)
		if ctx.Err() != nil {
			return
		}

		current := make(map[string]string, len(failures))
		for file, err := range failures {
			current[file] = err.Error()
			if logged[file] != current[file] {
				l.WarnContext(ctx, "Creating _id look-up indexes failed, retrying", slog.String("file", file), slog.String("error", current[file]))
			}
		}
		logged = current

		select {
		case <-ctx.Done():
			return
		case <-time.After(idIndexEvery):
		}
	}
}

// ensureIDIndexes creates the missing indexes of every database in dir and
// returns the failures by file.
func ensureIDIndexes(ctx context.Context, dir string, l *slog.Logger) map[string]error {
	failures := map[string]error{}

	entries, err := os.ReadDir(dir)
	if err != nil {
		failures[dir] = err
		return failures
	}

	for _, entry := range entries {
		if !entry.Type().IsRegular() || !strings.HasSuffix(entry.Name(), ".sqlite") {
			continue
		}

		file := filepath.Join(dir, entry.Name())
		if err := indexDatabase(ctx, file, l); err != nil {
			failures[file] = err
		}
	}

	return failures
}

// indexDatabase creates the index for every collection table of one database
// file that lacks it. When none is missing, it costs one small query.
func indexDatabase(ctx context.Context, file string, l *slog.Logger) error {
	// mode=rw: a database FerretDB has just dropped must not come back as an empty file.
	uri := url.URL{Scheme: "file", Path: file, RawQuery: fmt.Sprintf("mode=rw&_pragma=busy_timeout(%d)", busyTimeoutMS)}

	db, err := sql.Open("sqlite", uri.String())
	if err != nil {
		return err
	}
	defer db.Close()

	tables, err := tablesWithoutIDIndex(ctx, db)
	if err != nil {
		return err
	}

	var errs []error

	for _, table := range tables {
		started := time.Now()
		q := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)", quote(idIndexPrefix+table), quote(table), idLookupExpr)

		if _, err := db.ExecContext(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", table, err))
			continue
		}

		l.InfoContext(ctx, "Created _id look-up index", slog.String("file", file), slog.String("table", table), slog.Duration("took", time.Since(started)))
	}

	return errors.Join(errs...)
}

// tablesWithoutIDIndex lists the collection tables, as FerretDB records them,
// that exist and have no look-up index yet.
func tablesWithoutIDIndex(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = c.table_name)
		AND NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ? || c.table_name)`,
		idIndexPrefix,
	)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var tables []string

	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, err
		}

		tables = append(tables, table)
	}

	return tables, rows.Err()
}

// quote makes an SQL identifier of any table name a collection name can produce.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
