print("ovconvert")
