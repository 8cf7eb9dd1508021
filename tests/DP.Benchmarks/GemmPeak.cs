using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Benchmarks;

/// <summary>Measures the machine's matrix-multiply throughput per dtype: the peak the training GFLOP/s is compared with.</summary>
public static class GemmPeak
{
    public static double Measure(ScalarType dtype, int size = 1024, double seconds = 2.0)
    {
        using var scope = NewDisposeScope();
        var a = torch.randn(size, size).to(dtype);
        var b = torch.randn(size, size).to(dtype);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose(); // warm-up (oneDNN/MKL kernel selection)
        var sw = Stopwatch.StartNew();
        long count = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            a.matmul(b).Dispose();
            count++;
        }
        return 2.0 * size * size * size * count / sw.Elapsed.TotalSeconds / 1e9;
    }

    public static int Run()
    {
        Console.WriteLine($"threads: {torch.get_num_threads()}");
        foreach (var size in new[] { 512, 1024, 2048 })
        {
            var f32 = Measure(ScalarType.Float32, size);
            var bf16 = Measure(ScalarType.BFloat16, size);
            Console.WriteLine($"GEMM {size}x{size}x{size}: float32 {f32,7:F1} GFLOP/s   bfloat16 {bf16,7:F1} GFLOP/s");
        }
        return 0;
    }
}
