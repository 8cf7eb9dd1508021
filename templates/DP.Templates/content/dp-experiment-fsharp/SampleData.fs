// Writes a small synthetic sentiment data set (data/train.jsonl, data/val.jsonl) the first time the program
// starts, so the default experiment trains with no download. It is deterministic (fixed seed) and only written
// when neither file exists (and not for --help): your own files in data/ are never touched. Delete this file (and
// its line in the .fsproj) once you use real data. The same data as the C# template's SampleData.cs.
module internal DpSampleData

open System
open System.IO
open System.Text
open System.Text.Json

let private folder = "data"

let private positive =
    [| "wonderful"; "delightful"; "excellent"; "brilliant"; "charming"; "superb"; "enjoyable"; "fantastic"
       "moving"; "heartwarming"; "gripping"; "beautiful"; "hilarious"; "impressive"; "lovely"; "outstanding"
       "refreshing"; "stunning"; "uplifting"; "masterful" |]

let private negative =
    [| "terrible"; "boring"; "awful"; "dreadful"; "dull"; "painful"; "disappointing"; "horrible"
       "tedious"; "clumsy"; "lifeless"; "annoying"; "pointless"; "miserable"; "sloppy"; "forgettable"
       "bland"; "unbearable"; "shallow"; "messy" |]

let private subjects =
    [| "movie"; "film"; "story"; "acting"; "soundtrack"; "script"; "ending"; "cast"; "plot"; "dialogue"
       "performance"; "direction"; "show"; "sequel"; "documentary"; "premiere" |]

// {0} = subject, {1} = adjective.
let private frames =
    [| "The {0} was {1}."
       "I found the {0} {1}."
       "This {0} is {1}."
       "Honestly, the {0} felt {1} from start to finish."
       "My friends agreed the {0} was {1}."
       "The whole {0} seemed {1} to me."
       "Everyone in the theater thought the {0} was {1}."
       "The critics called the {0} {1}, and they were right." |]

let private generate (count: int) (seed: int) : string =
    let random = Random(seed)
    let text = StringBuilder()
    for i in 0 .. count - 1 do
        let isPositive = i % 2 = 0
        let words = if isPositive then positive else negative
        let frame = frames.[random.Next(frames.Length)]
        let subject = subjects.[random.Next(subjects.Length)]
        let sentence = String.Format(frame, subject, words.[random.Next(words.Length)])
        text.Append("{\"idx\":").Append(i)
            .Append(",\"text\":").Append(JsonSerializer.Serialize(sentence))
            .Append(",\"label\":\"").Append(if isPositive then "positive" else "negative").Append("\"}\n") |> ignore
    text.ToString()

/// Called by Program.fs before the experiment runs.
let writeIfMissing () =
    // Asking for help (or for another spec's experiment) must not write anything.
    let args = Environment.GetCommandLineArgs()
    let train = Path.Combine(folder, "train.jsonl")
    let validation = Path.Combine(folder, "val.jsonl")
    let asksForHelp = args |> Array.exists (fun a -> a = "-h" || a = "--help" || a = "help")
    if not asksForHelp && not (File.Exists train || File.Exists validation) then
        Directory.CreateDirectory(folder) |> ignore
        File.WriteAllText(train, generate 400 1)
        File.WriteAllText(validation, generate 200 2)
        printfn "Wrote a synthetic sentiment data set to %s (400 train, 200 validation)." (Path.GetFullPath folder)
