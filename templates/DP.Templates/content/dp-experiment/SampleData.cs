// Writes a small synthetic sentiment data set (data/train.jsonl, data/val.jsonl) the first time the program
// starts, so the default experiment trains with no download. It is deterministic (fixed seed) and only written
// when neither file exists (and not for --help): your own files in data/ are never touched. Delete this file once you use real data.
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

internal static class DpSampleData
{
    private const string Folder = "data";

    private static readonly string[] Positive =
    [
        "wonderful", "delightful", "excellent", "brilliant", "charming", "superb", "enjoyable", "fantastic",
        "moving", "heartwarming", "gripping", "beautiful", "hilarious", "impressive", "lovely", "outstanding",
        "refreshing", "stunning", "uplifting", "masterful",
    ];

    private static readonly string[] Negative =
    [
        "terrible", "boring", "awful", "dreadful", "dull", "painful", "disappointing", "horrible",
        "tedious", "clumsy", "lifeless", "annoying", "pointless", "miserable", "sloppy", "forgettable",
        "bland", "unbearable", "shallow", "messy",
    ];

    private static readonly string[] Subjects =
    [
        "movie", "film", "story", "acting", "soundtrack", "script", "ending", "cast", "plot", "dialogue",
        "performance", "direction", "show", "sequel", "documentary", "premiere",
    ];

    // {0} = subject, {1} = adjective.
    private static readonly string[] Frames =
    [
        "The {0} was {1}.",
        "I found the {0} {1}.",
        "This {0} is {1}.",
        "Honestly, the {0} felt {1} from start to finish.",
        "My friends agreed the {0} was {1}.",
        "The whole {0} seemed {1} to me.",
        "Everyone in the theater thought the {0} was {1}.",
        "The critics called the {0} {1}, and they were right.",
    ];

#pragma warning disable CA2255 // An application may run code at start-up; that is the point here.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void WriteIfMissing()
    {
        // Asking for help (or for another spec's experiment) must not write anything.
        var args = Environment.GetCommandLineArgs();
        if (args.Any(a => a is "-h" or "--help" or "help"))
            return;
        var train = Path.Combine(Folder, "train.jsonl");
        var validation = Path.Combine(Folder, "val.jsonl");
        if (File.Exists(train) || File.Exists(validation))
            return;
        Directory.CreateDirectory(Folder);
        File.WriteAllText(train, Generate(count: 400, seed: 1));
        File.WriteAllText(validation, Generate(count: 200, seed: 2));
        Console.WriteLine($"Wrote a synthetic sentiment data set to {Path.GetFullPath(Folder)} (400 train, 200 validation).");
    }

    private static string Generate(int count, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var positive = i % 2 == 0;
            var words = positive ? Positive : Negative;
            var sentence = string.Format(
                Frames[random.Next(Frames.Length)], Subjects[random.Next(Subjects.Length)], words[random.Next(words.Length)]);
            text.Append("{\"idx\":").Append(i)
                .Append(",\"text\":").Append(JsonSerializer.Serialize(sentence))
                .Append(",\"label\":\"").Append(positive ? "positive" : "negative").Append("\"}\n");
        }
        return text.ToString();
    }
}
