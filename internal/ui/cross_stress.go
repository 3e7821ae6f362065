package ui

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/framsyn/framsyn/internal/account"
	"github.com/framsyn/framsyn/internal/cross"
	"github.com/framsyn/framsyn/internal/httpx"
	"github.com/framsyn/framsyn/internal/paths"
)

// The strategy stress test of a cross: the matrix of actions × scenarios,
// adding actions from a pasted list, judging, CSV and a printable page.

type crossStressPage struct {
	base
	S        *cross.StressTest
	Verdicts []cross.Verdict
	Print    bool
}

func (cp *crossPages) stressPage(r *http.Request) (*crossStressPage, error) {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return nil, err
	}
	p := &crossStressPage{base: cp.base(r, "cross.stress.title"), Verdicts: cross.Verdicts}
	if p.S, err = cp.svc.Stress(r.Context(), p.Actor, id); err != nil {
		return nil, err
	}
	return p, nil
}

func (cp *crossPages) showStress(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.stressPage(r)
	if err != nil {
		return err
	}
	cp.render(w, r, http.StatusOK, "cross_stress", p)
	return nil
}

func (cp *crossPages) printStress(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.stressPage(r)
	if err != nil {
		return err
	}
	p.Print = true
	cp.render(w, r, http.StatusOK, "cross_stress", p)
	return nil
}

func (cp *crossPages) addActions(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := cp.svc.AddActions(r.Context(), account.ActorFrom(r.Context()), id, r.PostFormValue("actions")); err != nil {
		p, perr := cp.stressPage(r)
		if perr != nil {
			return perr
		}
		return cp.formError(w, r, "cross_stress", p, err)
	}
	cp.redirect(w, r, paths.CrossStress(id), "cross.stress.added")
	return nil
}

func (cp *crossPages) removeAction(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	aid, err := httpx.ID(r, "aid")
	if err != nil {
		return err
	}
	if err := cp.svc.RemoveAction(r.Context(), account.ActorFrom(r.Context()), id, aid); err != nil {
		return err
	}
	cp.redirect(w, r, paths.CrossStress(id), "cross.stress.removed")
	return nil
}

func (cp *crossPages) judgeStress(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.ID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var js []cross.Judgement
	for key, vals := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "v_")
		if !ok {
			continue
		}
		a, q, ok := strings.Cut(rest, "_")
		aid, err1 := strconv.ParseInt(a, 10, 64)
		quad, err2 := strconv.Atoi(q)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		js = append(js, cross.Judgement{ActionID: aid, Quadrant: quad, Verdict: cross.Verdict(vals[0]), Comment: r.PostFormValue("c_" + rest)})
	}
	if err := cp.svc.Judge(r.Context(), account.ActorFrom(r.Context()), id, js); err != nil {
		p, perr := cp.stressPage(r)
		if perr != nil {
			return perr
		}
		return cp.formError(w, r, "cross_stress", p, err)
	}
	cp.redirect(w, r, paths.CrossStress(id), "cross.stress.judged")
	return nil
}

// stressCSV is the matrix as CSV: a row per action and scenario.
func (cp *crossPages) stressCSV(w http.ResponseWriter, r *http.Request) error {
	p, err := cp.stressPage(r)
	if err != nil {
		return err
	}
	download(w, "text/csv; charset=utf-8", "stresstest-"+strconv.FormatInt(p.S.Cross.ID, 10)+".csv")
	_, _ = w.Write([]byte("\ufeff")) // so spreadsheet programs read UTF-8
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{p.T("cross.stress.csv.action"), p.T("cross.stress.csv.quadrant"), p.T("cross.scenario_name"),
		p.T("cross.stress.verdict.robust"), p.T("cross.stress.verdict.adapt"), p.T("cross.stress.verdict.fails"),
		p.T("cross.stress.majority"), p.T("cross.stress.agreement"), p.T("cross.stress.holds"), p.T("cross.stress.comments")})
	for _, row := range p.S.Rows {
		for _, c := range row.Cells {
			maj := ""
			if c.Majority != "" {
				maj = p.T("cross.stress.verdict." + string(c.Majority))
			}
			var comments []string
			for _, j := range c.Comments {
				comments = append(comments, strings.TrimSpace(j.UserName+": "+j.Comment))
			}
			holds := p.T("cross.stress.no")
			if row.Holds {
				holds = p.T("cross.stress.yes")
			}
			_ = cw.Write([]string{csvSafe(row.Action.Text), strconv.Itoa(c.Quadrant), csvSafe(p.S.Cross.Scenario(c.Quadrant).Name),
				strconv.Itoa(c.Counts[cross.Robust]), strconv.Itoa(c.Counts[cross.Adapt]), strconv.Itoa(c.Counts[cross.Fails]),
				maj, strconv.Itoa(c.Agreement), holds, csvSafe(strings.Join(comments, " | "))})
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Scenario returns the cross's scenario of quadrant q.
func (p *crossStressPage) Scenario(q int) cross.Scenario { return p.S.Cross.Scenario(q) }

// Quadrants are 1–4.
func (p *crossStressPage) Quadrants() []int { return []int{1, 2, 3, 4} }
