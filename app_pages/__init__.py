"""The pages of the deputy director's app (run through st.navigation in streamlit_app.py)."""
