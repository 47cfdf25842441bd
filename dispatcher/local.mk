# dispatcher/: (filled in as the folder grows)
