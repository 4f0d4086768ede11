"""View-model helpers for the deputy director's page: pure functions (pandas at the edge) that the Streamlit
pages in app_pages/ call. No Streamlit import here, no solver or norm logic: the numbers come from the same
library functions the CLI uses (importers, scenario.policy, rebuild, audit, storage)."""
