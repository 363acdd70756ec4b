package jsm

import "strings"

// Atlassian's JSM and platform documents mark the customer create and the
// service desk customer and organization operations "not exempt from app
// access rules": an organization's data security policy can block OAuth
// apps and API tokens on exactly these calls, with a 403 that no scope or
// permission fixes.

// underAppAccessRules reports whether a data security policy may block e.
func (e *Endpoint) underAppAccessRules() bool {
	return !e.CSM() && strings.HasPrefix(e.Pattern, "/rest/servicedeskapi/") &&
		(strings.Contains(e.Pattern, "/customer") || strings.Contains(e.Pattern, "/organization"))
}

// appAccessHint is what a 403 on such a call adds to its hint, or "".
func (e *Endpoint) appAccessHint() string {
	if !e.underAppAccessRules() {
		return ""
	}
	return ". If the credential has them, an organization's data security policy may block app access on this call " +
		"(Atlassian marks it not exempt from app access rules): an admin exempts the app or credential in the policy " +
		"(Atlassian Administration → Security → Data security policies), or use a credential the policy allows"
}
