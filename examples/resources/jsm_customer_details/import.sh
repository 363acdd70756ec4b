# Import the details of a customer by account ID; every field holding a value is then managed:
terraform import jsm_customer_details.fred 'qm:2a927c94-363f-4977-a0d6-9477d535f329:5b10ac8d82e05b22cc7d4ef5'
