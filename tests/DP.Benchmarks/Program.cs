using DP.Benchmarks;

// One command per benchmark: dotnet run -c Release --project tests/DP.Benchmarks -- <name>
var name = args.Length > 0 ? args[0] : "help";
return name switch
{
    "gemm" => GemmPeak.Run(),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("benchmarks: gemm");
    return 2;
}
