from therapynote.cli import main

main()
