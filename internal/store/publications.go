package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Publication records a questionnaire version as first loaded: its content
// hash, so a later change under the same version is caught, and its
// definition, so assessments pinned to it stay readable if its file goes.
type Publication struct {
	QuestionnaireID string    `bson:"questionnaireId"`
	Version         int       `bson:"version"`
	Hash            string    `bson:"hash"`
	Definition      string    `bson:"definition"` // canonical JSON
	PublishedAt     time.Time `bson:"publishedAt"`
}

type publicationDoc struct {
	ID          string `bson:"_id"`
	Publication `bson:",inline"`
}

func publicationID(questionnaireID string, version int) string {
	return fmt.Sprintf("%s@%d", questionnaireID, version)
}

// Publish records p unless its version is already recorded, and returns the
// record that stands: p itself, or the earlier one (whose Hash may differ).
func (s *Store) Publish(ctx context.Context, p Publication) (Publication, error) {
	id := publicationID(p.QuestionnaireID, p.Version)
	err := insertOne(ctx, s.db.Collection(collQuestionnaireVersions), publicationDoc{ID: id, Publication: p})
	if errors.Is(err, ErrDuplicateKey) {
		return s.Publication(ctx, p.QuestionnaireID, p.Version)
	}
	if err != nil {
		return Publication{}, fmt.Errorf("publish questionnaire %s: %w", id, err)
	}
	return p, nil
}

// Publication returns the record of one questionnaire version, or ErrNotFound.
func (s *Store) Publication(ctx context.Context, questionnaireID string, version int) (Publication, error) {
	id := publicationID(questionnaireID, version)
	var d publicationDoc
	if err := findByID(ctx, s.db.Collection(collQuestionnaireVersions), id, &d); err != nil {
		return Publication{}, fmt.Errorf("questionnaire %s: %w", id, err)
	}
	return d.Publication, nil
}
