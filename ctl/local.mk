# ctl/: (filled in as the folder grows)
