"""The service layer: rules, calendar, deadlines and use cases, behind ports."""
