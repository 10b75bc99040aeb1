// Command ferretdb-launcher runs an embedded FerretDB (SQLite backend) for the
// funding-application service. It prints the MongoDB URI on one stdout line
// once it is listening, and stops when it gets SIGINT/SIGTERM or when its
// stdin closes, so it never outlives the Node process that started it. Beside
// FerretDB it keeps an index that makes FerretDB's _id look-ups index searches
// (see idindex.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	dir := flag.String("dir", "data", "directory holding the SQLite databases")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	idIndex := flag.Bool("id-index", true, "index every collection for FerretDB's _id look-ups (off only to measure without)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-launcher:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The parent holds our stdin open; EOF means it is gone.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	if err := run(ctx, *listen, *dir, *idIndex, logger, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-launcher:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, writing the MongoDB URI as one line to out once
// FerretDB accepts connections.
func run(ctx context.Context, listen, dir string, idIndex bool, logger *slog.Logger, out io.Writer) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(absDir, 0o700); err != nil {
		return err
	}

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + absDir + "/",
	})
	if err != nil {
		return err
	}

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	var indexing sync.WaitGroup
	if idIndex {
		// Correctness never depends on the index, only speed: FerretDB serves at
		// once and a collection it creates is indexed within a second.
		indexing.Add(1)
		go func() {
			defer indexing.Done()
			keepIDIndexes(ctx, absDir, logger)
		}()
	}

	// MongoDBURI blocks until the listener has its address.
	fmt.Fprintln(out, db.MongoDBURI())

	err = <-done
	indexing.Wait()
	return err
}
