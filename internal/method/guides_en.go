package method

// guideText is a guide's words in another language than Swedish: the
// same steps and lists, in the same order (a test holds the shape). The
// minutes, template and examples are the Swedish guide's.
type guideText struct {
	Name, Purpose, When, Time, GroupSize string
	Steps                                [][2]string // title, text
	Roles, Materials, Tips, Pitfalls     []string
	Digital, Origin, Source              string
}

// guidesEN are the guides in English, by slug.
var guidesEN = map[string]guideText{
	"scenariokors": {
		Name:      "Scenario cross (2×2)",
		Purpose:   "To draw up four different, equally plausible futures by crossing the two uncertainties that matter most for your focal question. The cross makes it easy to see that the future can turn out in several ways, and to test the strategy against all four.",
		When:      "When you draw up or revise a regional development strategy, when a question is uncertain in the long run (10–30 years) and when many actors need a shared picture to talk about.",
		Time:      "Half a day for a first cross, a whole day if the groups are to write finished stories.",
		GroupSize: "8–40 people in groups of 4–6; digitally up to a couple of hundred.",
		Steps: [][2]string{
			{"Focal question and time horizon", "Phrase an open question that starts with “What will … look like in …?”. Decide the time horizon, for example 2050."},
			{"Drivers", "Everyone writes notes with drivers that affect the question. Use STEEP (society, technology, economy, environment, politics, values) so that no category is forgotten."},
			{"Cluster", "Merge duplicates and give each cluster a name that says what is changing."},
			{"Rate impact and uncertainty", "Each person rates every driver on a scale of 1–5. Those that score high on both are the critical uncertainties."},
			{"Choose axes and poles", "Choose two critical uncertainties that do not depend on each other. Give each axis two clear extremes, poles."},
			{"Write the scenarios", "Each group takes a quadrant and writes a name, a story, what everyday life looks like and early signs that the scenario is on its way."},
			{"Present and choose", "The groups present. Everyone votes for the future they would most like to see, and talks about what sets the scenarios apart."},
			{"Consequences", "What does each scenario mean for the strategy? What holds in all four, what needs to change?"},
		},
		Roles:     []string{"A facilitator who keeps time and the floor", "A group leader in each group", "A note-taker who captures axes, poles and stories", "Experts who can answer questions about trends"},
		Materials: []string{"Notes and pens, or framsyn's workshop on phones and computers", "A large surface for the cross", "Material on megatrends and the region's statistics"},
		Tips:      []string{"Spend most time on the axes: a weak cross gives weak stories.", "Give the scenarios names that are easy to remember and to say out loud.", "Write the story as if it has already happened, in the present tense.", "Keep all the notes – the drivers are a result in themselves."},
		Pitfalls:  []string{"Choosing two axes that in fact describe the same thing.", "Making one good, one bad and two middle scenarios instead of four different futures.", "Stopping at the stories and never asking what they mean for the strategy."},
		Digital:   "In framsyn you run the whole exercise in the workshop: participants join with a code, write drivers, cluster, rate and write their quadrant in small groups. The result is published as a scenario cross that other regions can adapt.",
		Origin:    "The cross of two critical uncertainties is one of the most common ways to build scenarios and is described by Peter Schwartz, who worked on Shell's scenario work.",
		Source:    "Peter Schwartz (1991): The Art of the Long View. New York: Doubleday.",
	},
	"backcasting": {
		Name:      "Backcasting",
		Purpose:   "To start from a desired future and count backwards to today: which milestones and actions are needed, and who owns them? The method turns the question from “what will happen?” to “what do we need to do?”.",
		When:      "When you have chosen a desired future – for example one of the scenarios of a cross – and want to turn it into action in the strategy and in the operational plans.",
		Time:      "2–3 hours.",
		GroupSize: "6–30 people, preferably those who will own the actions.",
		Steps: [][2]string{
			{"The desired future", "Read the scenario out loud. What is the most important thing that is true in that future? Write 3–5 hallmarks."},
			{"Milestones backwards", "Go backwards in time, for example 2050, 2040, 2030: what must be in place at each point for the next to become possible?"},
			{"Actions", "Under each milestone: which actions are needed, and who owns them? Write owners with their organisation."},
			{"The first step", "What can be done this very year? Choose a few actions to take further."},
			{"Link to the strategy", "Which goals of the regional development strategy do the actions support, and where are goals missing?"},
		},
		Roles:     []string{"Facilitator", "Owners of the actions (managers, strategists)", "Note-taker"},
		Materials: []string{"A chosen scenario", "A timeline from today to the time horizon", "Notes for milestones and actions"},
		Tips:      []string{"Start far away: it is easier to think freely about 2050 than about next year.", "Give every action an owner, or it becomes no one's.", "Run the same cross with different groups and compare the paths."},
		Pitfalls:  []string{"Skipping the milestones and going straight to actions that already existed.", "Choosing a desired future that no one in the room believes in."},
		Digital:   "Start a backcasting workshop from a scenario cross: the cross's axes and scenarios are read in, participants vote on the desired future and place milestones and actions on the timeline.",
		Origin:    "Backcasting as a method of policy analysis was described by John B. Robinson for energy policy.",
		Source:    "John B. Robinson (1982): Energy backcasting – A proposed method of policy analysis. Energy Policy 10(4), pp. 337–344.",
	},
	"megatrendworkshop": {
		Name:      "Megatrend workshop",
		Purpose:   "To understand the large, slow changes that affect every region – for example an ageing population, digitalisation and climate change – and what they mean for you in particular.",
		When:      "As the start of foresight work, before a scenario exercise or when a management team needs a shared picture of the world around it.",
		Time:      "2–3 hours.",
		GroupSize: "10–200 people; in groups of 4–6.",
		Steps: [][2]string{
			{"Introduction", "A short review of the megatrends you have chosen to start from, with sources."},
			{"Trends where we are", "The groups write how each megatrend shows in the region today, as notes."},
			{"Cluster", "Merge notes that say the same thing and name the clusters."},
			{"Rate", "Rate impact and uncertainty for each cluster."},
			{"Consequences and actions", "For the most important trends: what is the consequence for the region, and what should we do?"},
		},
		Roles:     []string{"Facilitator", "A speaker or expert on megatrends", "Group leaders"},
		Materials: []string{"Material on megatrends with sources", "The region's own statistics", "Notes or framsyn's workshop"},
		Tips:      []string{"Tell megatrends (certain, slow) from uncertainties (which suit as the axes of a cross).", "Ask the groups for concrete examples from their own municipality or organisation."},
		Pitfalls:  []string{"The talk taking all the time so that the groups have no time to work.", "Treating trends as forecasts."},
		Digital:   "The trend workshop in framsyn has the stages drivers, clustering, rating and consequences: the trends are written as notes, the rating is shown in a scatter plot and consequences and actions are placed as milestones.",
		Origin:    "The concept of the megatrend spread with John Naisbitt's book about the great changes in American society.",
		Source:    "John Naisbitt (1982): Megatrends – Ten New Directions Transforming Our Lives. New York: Warner Books.",
	},
	"designfiktion": {
		Name:      "Design fiction",
		Purpose:   "To make a future concrete by making an object, a newspaper article, an advert or a story from it – so that it becomes easy to feel and talk about what you want and do not want.",
		When:      "When the scenarios feel abstract, when you want to reach more people than the initiated, or to start conversations at an exhibition, a staff day or in social media.",
		Time:      "2–4 hours.",
		GroupSize: "4–30 people in groups of 3–4.",
		Steps: [][2]string{
			{"Choose a future", "Start from a scenario or a trend. What year is it, and where?"},
			{"Choose a format", "An object, a news article, a job advert, a ticket, an app – something you can hold or read."},
			{"Sketch", "The group makes its fiction. The details matter: prices, names, rules, what is taken for granted."},
			{"Show", "The groups show each other without explaining first. Let the others guess what has happened in the world."},
			{"Talk", "What did the fiction stir? What do we want more of, and what do we want to avoid?"},
		},
		Roles:     []string{"Facilitator", "Ideally a designer or illustrator", "Group leaders"},
		Materials: []string{"Paper, cardboard, pens, pictures to cut out", "Templates for a newspaper page and an advert", "A camera to document"},
		Tips:      []string{"Keep it everyday: a fiction about a bus timetable often says more than one about a space station.", "Photograph the fictions and put them in the library with the scenario they belong to."},
		Pitfalls:  []string{"The fiction becoming an illustration of a message instead of a question.", "Forgetting to link back to the strategy."},
		Digital:   "Use the scenario cross's workshop and let the groups write their fiction in their quadrant during the scenario stage; pictures and files are then published as design fiction in the library.",
		Origin:    "The term design fiction was coined by the author Bruce Sterling and developed by Julian Bleecker.",
		Source:    "Bruce Sterling (2005): Shaping Things. Cambridge, MA: MIT Press; Julian Bleecker (2009): Design Fiction – A short essay on design, science, fact and fiction. Near Future Laboratory.",
	},
	"svaga-signaler": {
		Name:      "Weak signals and horizon scanning",
		Purpose:   "To spot early, unclear signs of change before they become trends, and to make scanning a habit in the organisation.",
		When:      "Continuously, and as a recurring workshop where everyone brings what they have seen. Also suits as preparation for a scenario exercise.",
		Time:      "1.5–2 hours per session.",
		GroupSize: "5–40 people.",
		Steps: [][2]string{
			{"Bring a signal", "Before the meeting: each person finds a piece of news, a product, a behaviour or an event that feels new or strange."},
			{"Present", "Each person describes their signal briefly: what, where, source and date."},
			{"Cluster", "Which signals point in the same direction?"},
			{"Rate", "How great would the impact be if the signal grows, and how uncertain is it?"},
			{"What do we do?", "Which signals shall we keep watching, and who does it? Which could become drivers in the next cross?"},
		},
		Roles:     []string{"A coordinator of the scanning", "Every participant as a scout"},
		Materials: []string{"A shared place for signals with source and date", "Template: what, where, source, why interesting"},
		Tips:      []string{"Always keep the source and date – a signal without a source cannot be followed up.", "Invite someone from outside your own organisation; they see other signals."},
		Pitfalls:  []string{"Only collecting what you already know.", "Collecting signals without ever asking what they mean."},
		Digital:   "Run the trend workshop: the signals are written as notes in the drivers stage, clustered and rated, and what you will do is placed as actions.",
		Origin:    "The concept of weak signals in strategy work was introduced by H. Igor Ansoff.",
		Source:    "H. Igor Ansoff (1975): Managing Strategic Surprise by Response to Weak Signals. California Management Review 18(2), pp. 21–33.",
	},
	"framtidshjul": {
		Name:      "Futures wheel",
		Purpose:   "To think through the consequences of a change in several steps: what happens if …, and what happens next? The wheel shows how a single change spreads through society.",
		When:      "When you want to understand the consequences of a trend, a decision or an event – for example before a political decision or to deepen a scenario.",
		Time:      "1–2 hours.",
		GroupSize: "3–8 people per wheel; several wheels in parallel.",
		Steps: [][2]string{
			{"The centre", "Write the change in the centre, for example “Half of all care takes place at home”."},
			{"First ring", "What direct consequences does it have? Write them around the centre and draw lines."},
			{"Second ring", "What consequences do the consequences have? Continue outwards."},
			{"Third ring", "Go one more round; this is where the unexpected turns up."},
			{"What does it mean?", "Mark the consequences that matter most to you, both opportunities and risks, and what you should do."},
		},
		Roles:     []string{"Facilitator", "One scribe per wheel"},
		Materials: []string{"Large sheets of paper with rings, or a whiteboard", "Pens in two colours for opportunities and risks"},
		Tips:      []string{"Keep each note short: one consequence per note.", "Let different groups make wheels for the same change and compare."},
		Pitfalls:  []string{"Stopping at the first ring, where the obvious is.", "Mixing up consequences and wishes."},
		Digital:   "In framsyn the consequences are written as notes in the trend workshop's drivers stage (mark them with ring 1, 2 or 3), clustered and rated; the most important become actions.",
		Origin:    "The futures wheel was developed by Jerome C. Glenn in 1971.",
		Source:    "Jerome C. Glenn (2009): The Futures Wheel. In Futures Research Methodology, version 3.0. Washington, DC: The Millennium Project.",
	},
	"tre-horisonter": {
		Name:      "Three horizons",
		Purpose:   "To see change as three systems at once: the prevailing one that is losing its strength (horizon 1), the desired future that already exists in pockets (horizon 3) and the transitions in between (horizon 2).",
		When:      "When you work on transition – for example in climate, welfare or skills – and want to see both what is to be phased out, what is to grow and how to get there.",
		Time:      "2–3 hours.",
		GroupSize: "6–30 people.",
		Steps: [][2]string{
			{"Horizon 1", "How does it work today? What is ceasing to work, and what must we take with us?"},
			{"Horizon 3", "What does the desired future look like? Where does it already exist today, in small examples?"},
			{"Horizon 2", "Which innovations and trials lie between them? Which lead towards horizon 3, and which only prolong horizon 1?"},
			{"Paths", "Which steps take us from now to horizon 3? What can we do in our organisation?"},
		},
		Roles:     []string{"Facilitator", "Participants with different perspectives: those who run today's system and those who try the new"},
		Materials: []string{"A large picture with three curves over time", "Notes in three colours"},
		Tips:      []string{"Give horizon 1 respect: it holds knowledge and people needed in the transition.", "Look for examples of horizon 3 in your own region."},
		Pitfalls:  []string{"Only talking about horizon 3 and forgetting what is to be phased out.", "Seeing horizon 2 as a compromise instead of a path."},
		Digital:   "The trend workshop suits: write notes for horizons 1, 2 and 3 in the drivers stage (mark them), cluster and rate, and place the paths as milestones and actions.",
		Origin:    "The three horizons as a futures method come from Bill Sharpe and Andrew Curry with colleagues in the International Futures Forum.",
		Source:    "Andrew Curry and Anthony Hodgson (2008): Seeing in Multiple Horizons. Journal of Futures Studies 13(1), pp. 1–20; Bill Sharpe et al. (2016): Three horizons – a pathways practice for transformation. Ecology and Society 21(2):47.",
	},
}

// GuidesIn returns the guides in a language: Swedish (Guides) unless an
// English text is there for it.
func GuidesIn(lang string) []Guide {
	if lang != "en" {
		return Guides
	}
	out := make([]Guide, len(Guides))
	for i, g := range Guides {
		out[i] = g.in(lang)
	}
	return out
}

// BySlugIn is BySlug in a language.
func BySlugIn(slug, lang string) (*Guide, bool) {
	g, ok := BySlug(slug)
	if !ok || lang != "en" {
		return g, ok
	}
	t := g.in(lang)
	return &t, true
}

// in returns a copy of g with its English words, or g when it has none.
func (g Guide) in(lang string) Guide {
	tx, ok := guidesEN[g.Slug]
	if lang != "en" || !ok {
		return g
	}
	g.Name, g.Purpose, g.When, g.Time, g.GroupSize = tx.Name, tx.Purpose, tx.When, tx.Time, tx.GroupSize
	g.Roles, g.Materials, g.Tips, g.Pitfalls = tx.Roles, tx.Materials, tx.Tips, tx.Pitfalls
	g.Digital, g.Origin, g.Source = tx.Digital, tx.Origin, tx.Source
	steps := make([]Step, len(g.Steps))
	for i, s := range g.Steps {
		steps[i] = Step{Title: tx.Steps[i][0], Minutes: s.Minutes, Text: tx.Steps[i][1]}
	}
	g.Steps = steps
	return g
}
