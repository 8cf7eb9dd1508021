using DP.Benchmarks;

// One command per benchmark: dotnet run -c Release --project tests/DP.Benchmarks -- <name>
var name = args.Length > 0 ? args[0] : "help";
return name switch
{
    "gemm" => GemmPeak.Run(),
    "speed" => SpeedBenchmark.Run(args[1..]),
    "anchor" => DP.Benchmarks.Anchor.AnchorBenchmark.Run(args[1..]),
    "soak" => DP.Benchmarks.Soak.SoakBenchmark.Run(args[1..]),
    "generator" => DP.Benchmarks.Generator.GeneratorBenchmark.Run(args[1..]),
    "micro" => DP.Benchmarks.Micro.MicroBenchmarks.Run(args[1..]),
    "padding" => DP.Benchmarks.Padding.PaddingBenchmark.Run(args[1..]),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("benchmarks: gemm | speed [methods,comma,separated] [--steps N] [--threads N] [--uncached] [--tokens N] [--checkpointing] [--no-dropout]");
    Console.WriteLine("            " + DP.Benchmarks.Anchor.AnchorBenchmark.Usage);
    Console.WriteLine("            " + DP.Benchmarks.Soak.SoakBenchmark.Usage);
    Console.WriteLine("            " + DP.Benchmarks.Generator.GeneratorBenchmark.Usage);
    Console.WriteLine("            " + DP.Benchmarks.Micro.MicroBenchmarks.Usage);
    Console.WriteLine("            " + DP.Benchmarks.Padding.PaddingBenchmark.Usage);
    Console.WriteLine("accuracy: a sweep spec of its own, eng/benchmarks/accuracy (docs/benchmarks.md)");
    return 2;
}
