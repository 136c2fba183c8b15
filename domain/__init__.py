"""The product's own data and the operations BPMN scripts call: accounts, facilities, mail.

Imports `workflows` (for the table base and the operation registry); never Flask or `webapp`.
"""
