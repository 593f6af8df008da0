"""The web service (``unspun serve``): an HTTP API and a page that shows a report.

Needs FastAPI and uvicorn; ``unspun.service.app.create_app`` builds the app."""
