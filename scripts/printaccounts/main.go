// Command printaccounts prints the local JSM site's account list (JSON on
// stdin, from GET /__site/accounts) as a table, for the demo.
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	var accounts []struct {
		AccountID   string `json:"accountId"`
		Email       string `json:"email"`
		DisplayName string `json:"displayName"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&accounts); err != nil {
		fmt.Fprintln(os.Stderr, "printaccounts:", err)
		os.Exit(1)
	}
	for _, a := range accounts {
		fmt.Printf("  %-64s %-28s %s\n", a.AccountID, a.Email, a.DisplayName)
	}
}
