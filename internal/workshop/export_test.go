package workshop

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
)

// CheckFolds makes s check every board it folds against the store's
// board at the same seq, failing t on the first difference: the boards
// commands are decided ahead against are the store's.
func CheckFolds(t testing.TB, s *Service) {
	n, same := 0, 0
	t.Cleanup(func() { t.Logf("folds checked: %d of %d", same, n) })
	s.boards.check = func(b *Board) {
		n++
		got, err := s.store.Board(context.Background(), b.Workshop.ID)
		if err != nil || got.Workshop.Seq != b.Workshop.Seq {
			return // moved on meanwhile (or gone): nothing to hold it to
		}
		same++
		if !reflect.DeepEqual(got, b) {
			w, _ := json.Marshal(got)
			f, _ := json.Marshal(b)
			t.Errorf("the board folded at seq %d is not the store's:\nstore: %+v\n%s\nfold:  %+v\n%s", b.Workshop.Seq, got.Workshop, w, b.Workshop, f)
		}
	}
}

// TokenLookupsWaiting counts the token lookups of s waiting for the next
// read.
func TokenLookupsWaiting(s *Service) int {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	n := 0
	for _, chs := range s.tokens.waiting {
		n += len(chs)
	}
	return n
}
