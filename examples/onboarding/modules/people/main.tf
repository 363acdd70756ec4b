# The people file's rows, checked and normalised: one place that says what a
# row may hold, so that a typo fails the plan instead of onboarding someone
# wrongly. Validation blocks reference only their variable, so they hold on
# every Terraform from 1.5 and on OpenTofu.

variable "rows" {
  description = "The decoded rows of the people file: id, email, display_name, company, hr_access, region and tier, as strings."
  type = list(object({
    id           = string
    email        = string
    display_name = string
    company      = string
    hr_access    = string
    region       = string
    tier         = string
  }))

  validation {
    condition     = length(distinct([for r in var.rows : r.id])) == length(var.rows)
    error_message = "Each row needs an id of its own: the id keys the person's customer, and two rows with one id are one person declared twice."
  }
  validation {
    # JSM compares emails without regard to letter case.
    condition     = length(distinct([for r in var.rows : lower(trimspace(r.email))])) == length(var.rows)
    error_message = "Two rows hold the same email (letter case aside): JSM has one account per email, so they would be one customer. Keep one row per person."
  }
  validation {
    # YAML decodes an unquoted yes or no as a boolean, which reaches here as "true" or "false".
    condition     = alltrue([for r in var.rows : contains(["yes", "no", "true", "false"], lower(trimspace(r.hr_access)))])
    error_message = "hr_access must be yes or no (true and false too, as YAML decodes an unquoted yes)."
  }
}

output "by_id" {
  description = "The people by id, with hr_access as a bool."
  value = { for r in var.rows : r.id => merge(r, {
    email     = trimspace(r.email)
    hr_access = contains(["yes", "true"], lower(trimspace(r.hr_access)))
  }) }
}
