"""The Streamlit dashboard over the named queries (`audifi dashboard`)."""
