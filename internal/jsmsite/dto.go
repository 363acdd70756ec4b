package jsmsite

import "time"

// Shapes of the servicedeskapi shared by several routes.

// dateDTO is the servicedeskapi DateDTO.
type dateDTO struct {
	EpochMillis int64  `json:"epochMillis"`
	Friendly    string `json:"friendly"`
	ISO8601     string `json:"iso8601"`
	Jira        string `json:"jira"`
}

func toDateDTO(t time.Time) *dateDTO {
	if t.IsZero() {
		return nil
	}
	return &dateDTO{
		EpochMillis: t.UnixMilli(),
		Friendly:    t.Format("02/Jan/06 3:04 PM"),
		ISO8601:     t.Format("2006-01-02T15:04:05-0700"),
		Jira:        t.Format("2006-01-02T15:04:05.000-0700"),
	}
}

type selfLinkDTO struct {
	Self string `json:"self"`
}

// accountIDsRequest is UsersOrganizationUpdateDTO and
// ServiceDeskCustomerDTO: usernames is deprecated and ignored here.
type accountIDsRequest struct {
	AccountIDs []string `json:"accountIds"`
	Usernames  []string `json:"usernames"`
}
