from wirestream.cli import main

main()
