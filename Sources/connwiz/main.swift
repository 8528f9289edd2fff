print("connwiz")
