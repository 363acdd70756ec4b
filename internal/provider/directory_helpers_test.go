package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
)

var compareSame = compare.ValuesSame()

func knownString(s string) knownvalue.Check { return knownvalue.StringExact(s) }

func knownStringRegexp(p string) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(p))
}
