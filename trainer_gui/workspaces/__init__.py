"""One tab each: Train (views/dashboard.py) and Inside (inside.py); layout and the cursor they follow."""
