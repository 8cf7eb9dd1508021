using System.Text;
using System.Text.RegularExpressions;

namespace DP.Runtime.Metrics;

/// <summary>
/// ReCoRD / SQuAD-style answer matching as in the official evaluation script: texts are normalised (lower case,
/// ASCII punctuation and the articles a/an/the removed, whitespace collapsed); em and token F1 take the best over
/// the gold answers.
/// </summary>
public static class RecordMetrics
{
    // Python's string.punctuation: the official SQuAD/ReCoRD script removes exactly these (ASCII only).
    const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    static readonly Regex Articles = new(@"\b(a|an|the)\b", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>Lower case, ASCII punctuation removed, articles removed, whitespace collapsed (as the official script).</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            if (!Punctuation.Contains(c)) sb.Append(c);
        var noArticles = Articles.Replace(sb.ToString(), " ");
        return string.Join(' ', noArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public static double ExactMatch(string prediction, string gold) => Normalize(prediction) == Normalize(gold) ? 1 : 0;

    public static double TokenF1(string prediction, string gold)
    {
        var p = Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var g = Normalize(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var goldCounts = g.GroupBy(t => t).ToDictionary(x => x.Key, x => x.Count());
        var common = 0;
        foreach (var t in p)
            if (goldCounts.TryGetValue(t, out var n) && n > 0) { common++; goldCounts[t] = n - 1; }
        if (common == 0) return 0;
        double precision = (double)common / p.Length, recall = (double)common / g.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Mean over queries of the best em and F1 against that query's gold answers.</summary>
    public static (double Em, double F1) Compute(IReadOnlyList<(string Prediction, IReadOnlyList<string> Golds)> queries)
    {
        if (queries.Count == 0) return (0, 0);
        double em = 0, f1 = 0;
        foreach (var (prediction, golds) in queries)
        {
            if (golds.Count == 0) throw new ArgumentException("a ReCoRD query has no gold answers");
            em += golds.Max(g => ExactMatch(prediction, g));
            f1 += golds.Max(g => TokenF1(prediction, g));
        }
        return (em / queries.Count, f1 / queries.Count);
    }
}
