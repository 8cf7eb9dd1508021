using System;
using System.Collections.Generic;
using System.Linq;

namespace DP.Generators.Validation;

/// <summary>"did you mean" hints: the closest known word by edit distance, when it is close enough.</summary>
internal static class Suggestions
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        var limit = Math.Max(2, input.Length / 3);
        return best is not null && bestDistance <= limit ? best : null;
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates)
        => Closest(input, candidates) is { } hit ? " (did you mean '" + hit + "'?)" : "";

    public static string List(IEnumerable<string> words) => string.Join(", ", words.OrderBy(w => w, StringComparer.Ordinal));

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
