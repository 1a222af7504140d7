package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/regionerna/saq/internal/assessment"
)

// chunkSize keeps each chunk document far below MongoDB's 16 MB limit and
// cheap for the embedded engine, which stores documents as JSON.
const chunkSize = 255 << 10

// Files stores evidence as ordinary chunked collections: a header document
// and numbered chunks, each found by _id ("<file id>:<n>"), the one lookup
// the embedded engine indexes. GridFS would find chunks by files_id, which
// the embedded engine answers by scanning every chunk of every file.
type Files struct{ s *Store }

var _ assessment.Files = (*Files)(nil)

// Files returns the evidence file store.
func (s *Store) Files() *Files { return &Files{s} }

type fileDoc struct {
	ID     string `bson:"_id"`
	Size   int    `bson:"size"`
	Chunks int    `bson:"chunks"`
}

type chunkDoc struct {
	ID   string `bson:"_id"`
	Data []byte `bson:"data"`
}

func chunkID(id string, n int) string { return fmt.Sprintf("%s:%d", id, n) }

// Put writes the chunks first and the header last: a file without its header
// was never acknowledged and is never read.
func (f *Files) Put(ctx context.Context, id string, data []byte) error {
	chunks := f.s.db.Collection(collChunks)
	n := 0
	for off := 0; off < len(data) || n == 0; off += chunkSize {
		end := min(off+chunkSize, len(data))
		if err := insertOne(ctx, chunks, chunkDoc{chunkID(id, n), data[off:end]}); err != nil {
			return fmt.Errorf("store chunk %d of %s: %w", n, id, err)
		}
		n++
	}
	if err := insertOne(ctx, f.s.db.Collection(collFiles), fileDoc{id, len(data), n}); err != nil {
		return fmt.Errorf("store file %s: %w", id, err)
	}
	return nil
}

// Get reads a whole file, or returns ErrNotFound.
func (f *Files) Get(ctx context.Context, id string) ([]byte, error) {
	var h fileDoc
	if err := findByID(ctx, f.s.db.Collection(collFiles), id, &h); err != nil {
		return nil, err
	}
	data := make([]byte, 0, h.Size)
	for n := range h.Chunks {
		var c chunkDoc
		if err := findByID(ctx, f.s.db.Collection(collChunks), chunkID(id, n), &c); err != nil {
			return nil, fmt.Errorf("read chunk %d of %s: %w", n, id, err)
		}
		data = append(data, c.Data...)
	}
	if len(data) != h.Size {
		return nil, fmt.Errorf("file %s: read %d bytes, want %d", id, len(data), h.Size)
	}
	return data, nil
}

// Delete removes the header, then the chunks.
func (f *Files) Delete(ctx context.Context, id string) error {
	var h fileDoc
	if err := findByID(ctx, f.s.db.Collection(collFiles), id, &h); err != nil {
		return err
	}
	if _, err := f.s.db.Collection(collFiles).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return mapError(err)
	}
	for n := range h.Chunks {
		if _, err := f.s.db.Collection(collChunks).DeleteOne(ctx, bson.D{{Key: "_id", Value: chunkID(id, n)}}); err != nil {
			return mapError(err)
		}
	}
	return nil
}
