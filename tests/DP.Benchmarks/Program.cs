using DP.Benchmarks;

// One command per benchmark: dotnet run -c Release --project tests/DP.Benchmarks -- <name>
var name = args.Length > 0 ? args[0] : "help";
return name switch
{
    "gemm" => GemmPeak.Run(),
    "speed" => SpeedBenchmark.Run(args[1..]),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("benchmarks: gemm | speed [methods,comma,separated] [--steps N]");
    return 2;
}
