# Import by service desk ID: the state then lists all current customers.
terraform import jsm_service_desk_customers.hr 2
