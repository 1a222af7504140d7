package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The helpers below address documents by _id alone: the one filter the
// embedded engine answers from an index (see embedded.indexIDs).

func insertOne(ctx context.Context, c *mongo.Collection, doc any) error {
	_, err := c.InsertOne(ctx, doc)
	return mapError(err)
}

// findByID decodes the document with the given _id into out, or returns ErrNotFound.
func findByID(ctx context.Context, c *mongo.Collection, id, out any) error {
	return mapError(c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out))
}

// updateByID applies update to the document with the given _id, or returns ErrNotFound.
func updateByID(ctx context.Context, c *mongo.Collection, id, update any) error {
	res, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	if err != nil {
		return mapError(err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// findAll decodes every document matching filter into out (a slice pointer).
func findAll(ctx context.Context, c *mongo.Collection, filter any, opts *options.FindOptionsBuilder, out any) error {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return mapError(err)
	}
	return mapError(cur.All(ctx, out))
}
