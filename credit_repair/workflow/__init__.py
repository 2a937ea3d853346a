"""The service layer: policy rules, the working-day calendar, deadlines and use cases.

Pure: nothing here imports a web, database or scheduler framework, and time is
always passed in.
"""
