package cli

import (
	"context"
	"fmt"

	"github.com/regionalcareers/portal/content"
	"github.com/regionalcareers/portal/internal/pages"
)

// importContent brings the pages shipped in content/pages into the
// database. Pages an editor has changed since are left alone, and the log
// says which.
func importContent(ctx context.Context, e *env, store *pages.Store) (pages.ImportSummary, error) {
	files, err := content.Files()
	if err != nil {
		return pages.ImportSummary{}, fmt.Errorf("read shipped pages: %w", err)
	}
	sum, err := store.Import(ctx, files)
	if err != nil {
		return sum, err
	}
	for _, slug := range sum.KeptEdited {
		e.logger.Info("shipped page not imported: an editor has changed it since", "page", slug)
	}
	e.logger.Info("imported shipped pages", "created", sum.Created, "updated", sum.Updated, "unchanged", sum.Unchanged,
		"kept_edited", len(sum.KeptEdited))
	return sum, nil
}
