package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// syntheticStream keeps Synthetic's random stream apart from Seed's even
// when a caller passes the same number.
const syntheticStream = 0x7379_6e74_6865_7469

// saveWorkers is how many chunks Synthetic saves at once. Each SaveMany is
// one transaction of small statements, so the time goes on round trips and
// a few in flight together keep PostgreSQL busy.
const saveWorkers = 4

// Synthetic writes n varied vacancies over the demo partners (creating any
// that are missing), deterministic for a given seed and day: the same
// references get the same content, though ids may be given out in a
// different order because chunks are saved concurrently. References
// ("NBH-SYN-0000001") never collide with Seed's, and a second run with the
// same n updates the same vacancies. Chunks are generated one at a time so
// memory stays flat for large n.
func Synthetic(ctx context.Context, ps *partners.Store, vs *vacancies.Store, today time.Time, n int, seed int64) (sum Summary, err error) {
	defer wrap(&err, fmt.Sprintf("write %d synthetic vacancies", n))
	ids, err := existingPartners(ctx, ps)
	if err != nil {
		return sum, err
	}
	for i, p := range consortium {
		if _, ok := ids[i]; !ok {
			if ids[i], err = ps.Upsert(ctx, p.partner()); err != nil {
				return sum, err
			}
		}
	}
	sum.Partners = len(consortium)
	g, err := newGenerator(today, rand.NewPCG(uint64(seed), syntheticStream))
	if err != nil {
		return sum, err
	}
	save := newSaver(ctx, vs)
	// Partners get vacancies in proportion to their share of the demo.
	total := 0
	for _, p := range consortium {
		total += p.Count
	}
	made := make([]int, len(consortium))
	chunk := make([]vacancies.Vacancy, 0, chunkSize)
	for k := 0; k < n && save.ok(); k++ {
		pi, r := 0, g.rng.IntN(total)
		for r >= consortium[pi].Count {
			r -= consortium[pi].Count
			pi++
		}
		made[pi]++
		ref := fmt.Sprintf("%s-SYN-%07d", consortium[pi].Prefix, made[pi])
		chunk = append(chunk, g.vacancy(pi, ids[pi], ref))
		if len(chunk) == chunkSize || k == n-1 {
			save.send(chunk)
			chunk = make([]vacancies.Vacancy, 0, chunkSize)
		}
	}
	sum.Vacancies, err = save.wait()
	return sum, err
}

// saver runs SaveMany on chunks with saveWorkers goroutines and stops at
// the first error.
type saver struct {
	ctx    context.Context
	cancel context.CancelFunc
	chunks chan []vacancies.Vacancy
	wg     sync.WaitGroup
	mu     sync.Mutex
	saved  int
	err    error
}

func newSaver(ctx context.Context, vs *vacancies.Store) *saver {
	s := &saver{chunks: make(chan []vacancies.Vacancy)}
	s.ctx, s.cancel = context.WithCancel(ctx)
	for range saveWorkers {
		s.wg.Go(func() {
			for chunk := range s.chunks {
				_, err := vs.SaveMany(s.ctx, chunk)
				s.mu.Lock()
				if err != nil && s.err == nil {
					s.err = err
					s.cancel()
				} else if err == nil {
					s.saved += len(chunk)
				}
				s.mu.Unlock()
			}
		})
	}
	return s
}

// ok reports whether it is still worth generating chunks.
func (s *saver) ok() bool { return s.ctx.Err() == nil }

func (s *saver) send(chunk []vacancies.Vacancy) {
	select {
	case s.chunks <- chunk:
	case <-s.ctx.Done():
	}
}

// wait waits for every chunk sent so far and returns how many vacancies
// were saved and the first error.
func (s *saver) wait() (int, error) {
	close(s.chunks)
	s.wg.Wait()
	defer s.cancel()
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.saved, s.err
}
