from seq2func.cli import main

raise SystemExit(main())
