package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

const docs = 300

// launcher is a running run() on a fresh directory, stopped when the test ends.
type launcher struct {
	dir    string
	client *mongo.Client
	db     *mongo.Database
	stop   func() error
}

func startLauncher(t *testing.T, dir string, idIndex bool) *launcher {
	t.Helper()

	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", dir, idIndex, logger, w) }()

	uri, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}

	client, err := mongo.Connect(ctx, options.Client().ApplyURI(strings.TrimSpace(uri)))
	if err != nil {
		t.Fatal(err)
	}

	stopped := false
	l := &launcher{dir: dir, client: client, db: client.Database("test")}
	l.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		_ = client.Disconnect(context.Background())
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return fmt.Errorf("the launcher did not stop within 10 s")
		}
	}
	t.Cleanup(func() {
		if err := l.stop(); err != nil {
			t.Error(err)
		}
	})

	return l
}

// fill inserts documents with ObjectId keys into one collection and string keys into another.
func (l *launcher) fill(t *testing.T) (objectIDs []primitive.ObjectID, stringIDs []string) {
	t.Helper()

	var withObjectIDs, withStrings []any
	for i := range docs {
		id := primitive.NewObjectID()
		objectIDs = append(objectIDs, id)
		withObjectIDs = append(withObjectIDs, bson.M{"_id": id, "n": i, "pad": strings.Repeat("x", 500)})

		stringIDs = append(stringIDs, fmt.Sprintf("key-%04d", i))
		withStrings = append(withStrings, bson.M{"_id": stringIDs[i], "n": i, "pad": strings.Repeat("y", 500)})
	}

	ctx := context.Background()
	if _, err := l.db.Collection("objectids").InsertMany(ctx, withObjectIDs); err != nil {
		t.Fatal(err)
	}
	if _, err := l.db.Collection("strings").InsertMany(ctx, withStrings); err != nil {
		t.Fatal(err)
	}

	return objectIDs, stringIDs
}

// findPlan is SQLite's plan for FerretDB's own query of find({_id: id}), as its explain command reports it.
func (l *launcher) findPlan(t *testing.T, collection string, id any) string {
	t.Helper()

	var res bson.M
	cmd := bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: collection}, {Key: "filter", Value: bson.M{"_id": id}}}}}
	if err := l.db.RunCommand(context.Background(), cmd).Decode(&res); err != nil {
		t.Fatal(err)
	}

	planner, _ := res["queryPlanner"].(bson.M)
	plan, _ := planner["Plan"].(bson.A)
	if res["filterPushdown"] != true || len(plan) == 0 {
		t.Fatalf("find({_id}) on %s is not pushed down to SQLite: %v", collection, res)
	}

	return fmt.Sprint(plan...)
}

// waitForIndexes waits for the launcher's periodic pass to index tables created after it started.
func waitForIndexes(t *testing.T, db *sql.DB, tables ...string) {
	t.Helper()

	deadline := time.Now().Add(5 * time.Second)
	for _, table := range tables {
		for {
			var n int
			err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, idIndexPrefix+table).Scan(&n)
			if err == nil && n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no look-up index on %s within 5 s (%v)", table, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// sqliteDB opens the test database's file directly, read-only.
func (l *launcher) sqliteDB(t *testing.T) *sql.DB {
	t.Helper()

	uri := url.URL{Scheme: "file", Path: filepath.Join(l.dir, "test.sqlite"), RawQuery: "mode=ro"}
	db, err := sql.Open("sqlite", uri.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	return db
}

func tableOf(t *testing.T, db *sql.DB, collection string) string {
	t.Helper()

	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table); err != nil {
		t.Fatal(err)
	}

	return table
}

// explain is SQLite's plan for a statement, its rows' details joined.
func explain(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()

	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()

	var details []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		details = append(details, detail)
	}

	return strings.Join(details, "; ")
}

func TestIDLookupsUseTheIndex(t *testing.T) {
	dir := t.TempDir()
	l := startLauncher(t, dir, true)
	objectIDs, stringIDs := l.fill(t)
	ctx := context.Background()

	db := l.sqliteDB(t)
	tables := map[string]string{"objectids": tableOf(t, db, "objectids"), "strings": tableOf(t, db, "strings")}
	waitForIndexes(t, db, tables["objectids"], tables["strings"])

	// FerretDB's statements for find, update and delete by _id, as it builds them.
	for collection, table := range tables {
		for what, q := range map[string]string{
			"find":   fmt.Sprintf("SELECT  _ferretdb_sjson FROM %s WHERE _ferretdb_sjson->'$._id' = ?", quote(table)),
			"update": fmt.Sprintf("UPDATE %s SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?", quote(table)),
			"delete": fmt.Sprintf("DELETE FROM %s WHERE _ferretdb_sjson->'$._id' IN (?, ?)", quote(table)),
		} {
			if plan := explain(t, db, q, "{}", "k"); !strings.Contains(plan, "USING INDEX "+idIndexPrefix+table) {
				t.Errorf("%s by _id on %s does not use the look-up index: %s", what, collection, plan)
			}
		}
	}

	// The index changes speed only: every look-up still finds its own document.
	for i := range docs {
		var got struct{ N int }
		if err := l.db.Collection("objectids").FindOne(ctx, bson.M{"_id": objectIDs[i]}).Decode(&got); err != nil || got.N != i {
			t.Fatalf("findOne(%s) = %v, %v; want n = %d", objectIDs[i], got, err, i)
		}
	}
	res, err := l.db.Collection("strings").UpdateOne(ctx, bson.M{"_id": stringIDs[7]}, bson.M{"$set": bson.M{"n": -7}})
	if err != nil || res.MatchedCount != 1 || res.ModifiedCount != 1 {
		t.Fatalf("updateOne by string _id: %+v, %v", res, err)
	}
	var updated struct{ N int }
	if err := l.db.Collection("strings").FindOne(ctx, bson.M{"_id": stringIDs[7]}).Decode(&updated); err != nil || updated.N != -7 {
		t.Fatalf("after the update: %v, %v", updated, err)
	}
	if n, err := l.db.Collection("strings").CountDocuments(ctx, bson.M{"n": -7}); err != nil || n != 1 {
		t.Fatalf("documents changed by the update: %d, %v; want 1", n, err)
	}
	del, err := l.db.Collection("objectids").DeleteOne(ctx, bson.M{"_id": objectIDs[3]})
	if err != nil || del.DeletedCount != 1 {
		t.Fatalf("deleteOne by ObjectId: %+v, %v", del, err)
	}
	if n, err := l.db.Collection("objectids").CountDocuments(ctx, bson.M{}); err != nil || n != docs-1 {
		t.Fatalf("documents left after deleting one: %d, %v", n, err)
	}

	// The launcher stops, and FerretDB started again on the same files plans its own
	// find({_id}) on the index. (A FerretDB connection that ran no statement since the
	// index appeared explains with the schema it had, so explain only on a fresh start.)
	if err := l.stop(); err != nil {
		t.Fatalf("stopping: %v", err)
	}
	again := startLauncher(t, dir, true)
	for collection, id := range map[string]any{"objectids": objectIDs[docs/2], "strings": stringIDs[docs/2]} {
		if plan := again.findPlan(t, collection, id); !strings.Contains(plan, "SEARCH") || !strings.Contains(plan, "USING INDEX "+idIndexPrefix) {
			t.Errorf("FerretDB's find({_id}) on %s does not search the look-up index: %s", collection, plan)
		}
	}
}

// Documents the FerretDB behaviour the launcher works around: when this fails,
// FerretDB finds documents by key on its own and the launcher's index can go.
func TestWithoutTheIndexFerretDBScans(t *testing.T) {
	l := startLauncher(t, t.TempDir(), false)
	objectIDs, _ := l.fill(t)

	if plan := l.findPlan(t, "objectids", objectIDs[0]); !strings.Contains(plan, "SCAN") {
		t.Errorf("find({_id}) without the launcher's index: %s; FerretDB no longer scans", plan)
	}
}
