package jsmsite

import (
	"fmt"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"

	"golang.org/x/time/rate"
)

// Values of Faults.WrongIdentity.
const (
	WrongIdentityEmpty = "empty" // answer reads with {}
	WrongIdentityOther = "other" // answer reads with another object
)

func (f Faults) validatePathFaults() error {
	switch f.WrongIdentity {
	case "", WrongIdentityEmpty, WrongIdentityOther:
	default:
		return fmt.Errorf("jsmsite: WrongIdentity %q must be empty, %q or %q", f.WrongIdentity, WrongIdentityEmpty, WrongIdentityOther)
	}
	for route, perSecond := range f.RouteRateLimit {
		if perSecond < 0 || math.IsNaN(perSecond) {
			return fmt.Errorf("jsmsite: RouteRateLimit[%q] = %v must not be negative", route, perSecond)
		}
	}
	return nil
}

func routeBuckets(limits map[string]float64) map[string]*rate.Limiter {
	out := map[string]*rate.Limiter{}
	for route, perSecond := range limits {
		if perSecond > 0 {
			out[route] = rate.NewLimiter(rate.Limit(perSecond), max(1, int(math.Ceil(perSecond))))
		}
	}
	return out
}

// hasDotSegment reports whether the decoded path p has a "." or ".."
// segment.
func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// screenDotSegments counts a request whose decoded path holds a dot
// segment and, with NormalizeDotSegments, resolves them before routing.
// Without the switch, Go's ServeMux answers such a path with a redirect to
// the cleaned one.
func (s *Site) screenDotSegments(r *http.Request) {
	if !hasDotSegment(r.URL.Path) {
		return
	}
	fi := s.faults
	fi.mu.Lock()
	fi.dotSegments++
	normalize := fi.f.NormalizeDotSegments
	fi.mu.Unlock()
	if normalize {
		r.URL.Path, r.URL.RawPath = path.Clean(r.URL.Path), ""
	}
}

// DotSegmentRequests counts the requests whose decoded path held a "." or
// ".." segment.
func (s *Site) DotSegmentRequests() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.dotSegments
}

// answerWrongOrganization answers a read of o with {} or another
// organization when WrongIdentity says so; it reports whether it answered.
func (s *Site) answerWrongOrganization(w http.ResponseWriter, r *http.Request, o Organization) bool {
	switch s.Faults().WrongIdentity {
	case WrongIdentityEmpty:
		MarkFault(r) // no id, no name: a departure the contract leaves alone
		writeJSON(w, http.StatusOK, map[string]any{})
		return true
	case WrongIdentityOther:
		other := o
		other.ID += 1000 // one that does not exist, unless another does
		for _, cand := range s.Organizations() {
			if cand.ID != o.ID {
				other = cand
				break
			}
		}
		writeJSON(w, http.StatusOK, toOrganizationDTO(baseURL(r), other))
		return true
	}
	return false
}

// answerWrongServiceDesk is answerWrongOrganization for service desks.
func (s *Site) answerWrongServiceDesk(w http.ResponseWriter, r *http.Request, d ServiceDesk) bool {
	switch s.Faults().WrongIdentity {
	case WrongIdentityEmpty:
		MarkFault(r) // no id, no name: a departure the contract leaves alone
		writeJSON(w, http.StatusOK, map[string]any{})
		return true
	case WrongIdentityOther:
		for _, cand := range s.ServiceDesks() {
			if cand.ID != d.ID {
				writeJSON(w, http.StatusOK, toServiceDeskDTO(baseURL(r), cand))
				return true
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return true
	}
	return false
}

// ParseRouteRateLimit adds "ROUTE=RPS" (a route name, see Routes) to
// f.RouteRateLimit; for the command line.
func ParseRouteRateLimit(f *Faults, v string) error {
	i := strings.LastIndex(v, "=")
	if i < 0 {
		return fmt.Errorf("%q is not ROUTE=RPS", v)
	}
	perSecond, err := strconv.ParseFloat(v[i+1:], 64)
	if err != nil || perSecond < 0 {
		return fmt.Errorf("%q: the rate must be a number of requests per second", v)
	}
	if f.RouteRateLimit == nil {
		f.RouteRateLimit = map[string]float64{}
	}
	f.RouteRateLimit[strings.TrimSpace(v[:i])] = perSecond
	return nil
}
