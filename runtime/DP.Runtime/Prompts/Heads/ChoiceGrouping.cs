using static TorchSharp.torch;
using TorchSharp;

namespace DP.Runtime.Prompts.Heads;

/// <summary>Multiple choice: candidate rows (consecutive per example) → scores [examples, maxChoices] padded with −inf.</summary>
public static class ChoiceGrouping
{
    public static Tensor Group(Tensor rowScores, IReadOnlyList<int> choiceCounts)
    {
        int examples = choiceCounts.Count, max = choiceCounts.Max();
        int rows = choiceCounts.Sum();
        if (rowScores.shape[0] != rows)
            throw new ArgumentException($"ChoiceCounts add up to {rows} candidate rows but the batch has {rowScores.shape[0]}.");
        var slots = new long[rows];
        int r = 0;
        for (int e = 0; e < examples; e++)
            for (int c = 0; c < choiceCounts[e]; c++) slots[r++] = (long)e * max + c;
        var index = torch.tensor(slots, device: rowScores.device);
        var flat = torch.full(examples * max, float.NegativeInfinity, dtype: rowScores.dtype, device: rowScores.device);
        return flat.scatter(0, index, rowScores.reshape(-1)).view(examples, max);
    }
}
