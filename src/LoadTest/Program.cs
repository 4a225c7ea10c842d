Console.WriteLine("LiteRestore load tester");
