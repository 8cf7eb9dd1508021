using System.Diagnostics;
using DP.Runtime.Backbones;
using DP.Runtime.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Weights;

/// <summary>The packaged MiniLM, loaded once for every test in the collection, and a padded batch of real text.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public PackagedModel Model { get; }
    public TimeSpan LoadTime { get; }

    /// <summary>Sentences and sentence pairs of varied length, padded into one batch.</summary>
    public static readonly (string Text, string? Pair)[] Texts =
    [
        ("The quick brown fox jumps over the lazy dog.", null),
        ("Rain.", null),
        ("She sold the old bicycle to a neighbour who needed it for work.", null),
        ("Prices at the market rose sharply after the harbour closed for repairs.", null),
        ("Could you tell me where the nearest train station is?", null),
        ("I have never seen a film that made me laugh and cry at the same time, but this one did, twice.", null),
        ("The committee postponed its decision until more evidence about the bridge's safety was available.", null),
        ("Thanks!", null),
        ("Photosynthesis converts light energy into chemical energy stored in glucose.", null),
        ("After three weeks of negotiations, the two companies finally agreed on a merger that will create the largest " +
         "shipping firm in northern Europe, employing more than forty thousand people across twelve countries.", null),
        ("My grandmother's recipe calls for two cups of flour, a pinch of salt and far too much butter.", null),
        ("Tokenization splits unaffable words into pieces.", null),
        ("A man is playing a guitar on stage.", "Someone performs music in front of an audience."),
        ("The museum opens at nine.", "Is the museum open in the morning?"),
        ("The patient was given antibiotics for the infection.", "The patient received no treatment."),
        ("Water boils at one hundred degrees Celsius at sea level.", "At high altitude, water boils at a lower temperature " +
         "because the air pressure is lower."),
        ("Who wrote the novel?", "It was written by an author from Lagos who later became a teacher."),
        ("The children built a sandcastle.", "It rained."),
    ];

    public MiniLmFixture()
    {
        var sw = Stopwatch.StartNew();
        Model = PackagedModels.Load("minilm-l6");
        LoadTime = sw.Elapsed;
    }

    /// <summary>The batch as int64 [B, L] ids, token types and a 0/1 attention mask (pad id 0).</summary>
    public static (long[,] Ids, long[,] Types, long[,] Mask) Batch(ITextTokenizer tokenizer)
    {
        var encoded = Texts.Select(t => tokenizer.Encode(t.Text, t.Pair, maxLength: 128)).ToArray();
        int length = encoded.Max(e => e.Ids.Length);
        var ids = new long[encoded.Length, length];
        var types = new long[encoded.Length, length];
        var mask = new long[encoded.Length, length];
        for (int b = 0; b < encoded.Length; b++)
            for (int i = 0; i < encoded[b].Ids.Length; i++)
            {
                ids[b, i] = encoded[b].Ids[i];
                types[b, i] = encoded[b].TokenTypeIds[i];
                mask[b, i] = 1;
            }
        return (ids, types, mask);
    }

    /// <summary>last_hidden_state [B, L, d] (float32) of the batch through a backbone.</summary>
    public static Tensor Forward(IPromptableBackbone backbone, long[,] ids, long[,] types, long[,] mask)
    {
        using var _ = torch.no_grad();
        var idT = torch.tensor(ids);
        return backbone.Forward(new BackboneInput(backbone.EmbedTokens(idT), torch.tensor(mask).to(ScalarType.Float32),
            TokenTypeIds: torch.tensor(types))).LastHiddenState;
    }

    public void Dispose() => Model.Backbone.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "packaged MiniLM";
}
