"""This page's address on a server started with a plain `streamlit run dashboard.py`: Streamlit's older pages/-folder
mode knows pages by file name until dashboard.py runs, so without this file the address met an English "Page not
found". Here the run starts over through dashboard.py, which opens the page of this address (ui/routing.py)."""
from ui.routing import route_through_entry_point

route_through_entry_point()
