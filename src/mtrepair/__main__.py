from mtrepair.cli import main

main()
