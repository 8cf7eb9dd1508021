using System.Globalization;
using DP.Runtime.Backbones;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;

namespace DP.Benchmarks.Padding;

/// <summary>
/// What rounding batch widths (task.pad_to_multiple_of) costs and buys on the real data, without a model: per task
/// and multiple, the share of pad tokens in one epoch of length-bucketed training batches (batch 16) and in the
/// sorted evaluation batches (batch 64), and how many distinct widths (tensor shapes) they have.
/// </summary>
public static class PaddingBenchmark
{
    public const string Usage = "padding [--data ../shared/data/fewglue] [--multiples 1,8,16,32]";

    public static int Run(string[] args)
    {
        var data = BenchArgs.String(args, "--data") ?? "../shared/data/fewglue";
        var multiples = (BenchArgs.String(args, "--multiples") ?? "1,8,16,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var tokenizer = PackagedModels.Load(PackagedModels.MiniLmL6).Tokenizer;
        Console.WriteLine("| task | max length | multiple | train pad % | train widths | eval pad % | eval widths |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var task in new[] { SuperGlueTask.BoolQ, SuperGlueTask.CB, SuperGlueTask.RTE, SuperGlueTask.WiC, SuperGlueTask.MultiRC })
        {
            // The accuracy benchmark's max lengths (task.max_length in eng/benchmarks/accuracy/fewshot/accuracy-fewshot.dp.yaml).
            int maxLength = task is SuperGlueTask.BoolQ or SuperGlueTask.MultiRC ? 256 : 128;
            foreach (var multiple in multiples)
            {
                // val.jsonl trains here too: the 32-example train files are too small to show the shapes of real training.
                var options = new TaskOptions
                {
                    Kind = DataKind.SuperGlue, SuperGlue = task, DataDir = Path.Combine(data, task.ToString()),
                    TrainFile = "val.jsonl", MaxLength = maxLength, PadToMultipleOf = multiple,
                };
                var loaded = TaskDataLoader.Load(options, tokenizer, 16, 64, seed: 1);
                var (trainPad, trainWidths) = Measure(loaded.Train.EpochBatches(0));
                var (evalPad, evalWidths) = Measure(loaded.Validation.Batches);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {task} | {maxLength} | {multiple} | {trainPad:F1} | {trainWidths} | {evalPad:F1} | {evalWidths} |"));
            }
        }
        return 0;
    }

    private static (double PadPercent, int Widths) Measure(IEnumerable<DP.Runtime.Models.ModelBatch> batches)
    {
        long cells = 0, tokens = 0;
        var widths = new HashSet<long>();
        foreach (var b in batches)
        {
            cells += b.AttentionMask.numel();
            tokens += b.AttentionMask.sum().item<long>();
            widths.Add(b.InputIds.shape[1]);
        }
        return (100.0 * (cells - tokens) / cells, widths.Count);
    }
}
