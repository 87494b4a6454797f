"""Must-fire and must-stay-quiet tables for every phrase rule in policy_rules/dmu/rules.yaml."""

from __future__ import annotations

import pytest

from bot.detectors.phrases import words_apart

from .conftest import Run

CASES: dict[str, tuple[list[str], list[str]]] = {
    "confidential-info": (
        [
            "here's the leaked memo from the dean's office",
            "attached is the strictly confidential report on the restructure",
            "I'm not supposed to share this but here's the staff list",
            "screenshot of the internal only minutes from the board",
            "got hold of the unpublished research, here is the data",
            "forwarded you the confidential email from HR",
        ],
        [
            "is this information confidential?",
            "the counselling service is confidential",
            "confidential support is available from student services",
            "I signed a confidentiality agreement for my placement",
            "the results are not public yet, we have to wait",
            "here's the agenda for the society meeting",
        ],
    ),
    "non-consensual-recording": (
        [
            "I recorded her without her knowing",
            "secretly filmed the seminar lol",
            "filmed him without him knowing in the changing room",
            "took a pic of her asleep without her knowing",
            "she doesn't know i recorded the call",
            "found a hidden camera video of the party",
        ],
        [
            "the lecture is recorded on replay",
            "I secretly love this song",
            "I bought her a present without her knowing",
            "we recorded the podcast with permission from everyone",
            "the seminar will be recorded, consent forms are here",
            "I filmed my own presentation for practice",
        ],
    ),
    "rumours": (
        [
            "heard Jess slept with her tutor, pass it on",
            "apparently he got arrested last night",
            "rumour is she's pregnant, don't tell anyone but it's true",
            "I heard Sam cheated on his girlfriend, tell everyone",
            "people are saying she sends nudes for grades",
            "guess who hooked up with her flatmate",
            "apparently Sam got kicked off his course for plagiarism",
            "don't tell anyone but he's been lying to everyone about having a job",
            "someone told me she only got the placement because her mum paid someone to write her application",
            "between you and me, Jess has an STI",
            "did you hear he got sacked from the SU bar for stealing from the till",
            "word is they only passed because they cheated in the exam",
            "allegedly he's dealing drugs from his room in halls",
            "everyone knows Sam only got into uni because his dad knows the dean",
            "there's a rumour going round that she had an affair with her lecturer",
            "girls avoid Liam, he's got herpes and doesn't tell anyone, pass it round",
            "my cousin says Marcus is on coke every weekend and batters his missus. pass it on",
        ],
        [
            "apparently it's going to rain all week",
            "I heard the exam got moved to Friday",
            "pass it on: society social is on Friday",
            "she came out to her parents and they were really supportive",
            "don't spread rumours about people who slept with anyone, it's cruel",
            "I slept with the lights on lol",
            "I heard the lecture got moved",
            "apparently it's going to rain",
            "I heard she got a first, so proud of her",
            "apparently he got the job, congrats!",
            "apparently the course kicked off with a quiz, he said it was fun",
            "heard he's been lying in bed all day with flu, get well soon",
            "did you hear the new album? she's been lying low for ages",
            "someone told me the exam got cancelled, is that true?",
            "heard you got into uni because of your amazing personal statement, well done!",
        ],
    ),
    "account-details": (
        [
            "fill in the form with Sam's insta login",
            "put everyone's usernames on the open letter",
            "I added all the members' student emails to the petition",
            "use her password for the survey so it counts twice",
            "just put their handles on the google form",
            "add other people's login details to the questionnaire",
        ],
        [
            "fill in the survey with your own student email",
            "I forgot my password for the form",
            "the petition is open, sign it with your own name",
            "what's the username for the society's survey account",
            "I changed my login for blackboard",
            "the open letter is on the website",
            "just put their handles on the google form, they both said yes in the chat",
        ],
    ),
    "coursework-sharing": (
        [
            "I'll send you my essay to copy",
            "who wants my finished coursework",
            "you can copy my assignment, just change the words",
            "here's my essay from last year if anyone wants it",
            "anyone want my old coursework for the same module",
            "selling my notes and essays from first year",
        ],
        [
            "I finished my essay finally!",
            "how long is your coursework?",
            "don't copy my essay, it's plagiarism",
            "the coursework deadline is friday",
            "can you send me the coursework brief?",
            "my essay got a 2:1",
            "so proud of my finished essay",
            "the essay is finished, finally!",
        ],
    ),
    "coursework-copy-offers": (
        [
            "attached my completed lab report, feel free to copy, just reword it a bit",
            "dm me if you want my old dissertation, change a few words and it's yours",
            "sharing my final year project if anyone needs it, just put it in your own words",
            "uploaded my 2nd year portfolio to the drive, copy whatever you need",
            "here's my marked CS101 assignment code, just rename the variables so it doesn't get flagged",
            "you can have my finished history essay, paraphrase it and hand it in",
        ],
        [
            "anyone want to proofread my coursework?",
            "the essay is finished, finally!",
            "I'll just change the wording of my essay intro",
            "here's my reading list if anyone wants to copy it",
            "don't copy my coursework, changing the wording won't fool anyone",
            "feel free to copy the template from the module page into your report",
            "here are my notes from the lecture, copy whatever you need",
            "I need to copy my essay into the new template",
        ],
    ),
    "assessment-content": (
        [
            "here are the answers to tomorrow's exam",
            "leaked exam paper, dm me for it",
            "i've uploaded the exam answers to the drive",
            "got hold of the test answers for the phase test",
            "sharing the answer key for the quiz",
            "who wants the exam questions for Monday, I'll send them",
        ],
        [
            "good luck on the exam everyone",
            "I think I got the answers wrong in the exam",
            "here's a past paper to practise with",
            "does anyone know when the exam is?",
            "I don't know the answers to any of the exam questions lol",
            "here are my notes from the revision session",
            "the policy says don't post exam answers, so nobody's sharing the january paper",
        ],
    ),
    "academic-misconduct-phrases": (
        [
            "anyone know how to bypass turnitin",
            "can someone sit my exam for me",
            "write my essay for me and I'll pay £50",
            "let's share answers during the exam in the group chat",
            "this site wrote it and it got past turnitin",
            "bought an essay online and turnitin didn't catch it",
            "reworded it with AI so it won't show up on Turnitin",
        ],
        [
            "turnitin is open for submissions",
            "I wrote my essay myself",
            "the exam is in the sports hall",
            "how do I reference a website?",
            "academic integrity workshop on Tuesday",
            "Turnitin is down again",
            "I need to write my essay for tomorrow",
            "I have to do my essay for Friday",
            "did it pass turnitin?",
            "my turnitin score was 12%",
            "I'll pay someone to fix my bike",
            # A moderator's notice names the breach it answers.
            "removed + banned. these 'write your essay for you' accounts are contract cheating,"
            " it's an academic offence, don't message them",
        ],
    ),
    "academic-misconduct-services": (
        [
            "this essay site did my whole dissertation and I got a 2:1",
            "used an essay mill for my last assignment, would recommend",
            "my flatmate found a ghostwriter who wrote her whole report",
            "there's a guy on fiverr who did my coursework in two days",
            "I've used this essay writing company twice, dm me for the link",
        ],
        [
            "essay mills are illegal in the UK now",
            "I wrote my essay on essay mills and contract cheating",
            "never used an essay site, not worth the risk",
            "the lecture on essay mills was really interesting",
            "don't use essay sites, they're a scam",
            "does anyone know a good essay writing workshop?",
        ],
    ),
    "academic-misconduct-paid-work": (
        [
            "I'll pay someone to write my dissertation",
            "my mate wrote my whole essay for £50",
            "I'll do your lab report for 20 quid, dm me",
            "paid some guy £100 to write my personal statement",
            "paying a masters student to do my coursework this term",
            "writing essays for $30 each, any subject",
        ],
        [
            "I did my essay for 8 hours straight",
            "I'd pay someone to write my essay tbh, I'm so tired",
            "I get paid £12 an hour to write reports at my part time job",
            "paid £5 for printing my dissertation",
            "paid a proofreader £40 to check my essay",
            "I'm writing my dissertation for the next 3 months",
            "his dad paid someone to write his personal statement",
            "I'll pay someone to fix my bike",
        ],
    ),
    "learning-platform-phrases": (
        [
            "here's the replay link for week 5 lecture",
            "I've uploaded the lecture recordings to my drive",
            "dm me for the panopto recording",
            "sharing the teams recording from today",
            "here is the collaborate recording if you missed it",
        ],
        [
            "is there a replay link for week 5?",
            "the lecture recording is on blackboard",
            "where can I find the recorded lectures",
            "the lecturer said recordings go up on Friday",
            "I missed the lecture, was it recorded?",
            "reminder: no sharing replay recordings or blackboard stuff in the server please",
        ],
    ),
    "illegal-goods": (
        [
            "selling nitrous, dm me",
            "anyone got weed for tonight",
            "buying ket, who's got some",
            "hmu for pingers before the social",
            "selling fake ids £40 each",
            "who's got xans",
            "anyone want pingers for the wrap party, £8 each",
            "can sort weed for the crew, meet at the bike racks at 10",
            "ket 3 for £25 this weekend only",
            "pingers 2 for a tenner at the door",
            "ket and pingers, same day, dm me",
        ],
        [
            "the lecture on drug policy and cannabis legalisation was good",
            "selling my old textbooks, dm me",
            "I need to buy weed killer for the garden",
            "laughing gas at the dentist was weird",
            "I'm buying a new laptop",
            "the crime of selling stolen goods is covered in the law module",
            "can sort the lift for the crew, meet at the bike racks at 10",
            "weed killer is £8 each at b&q",
            "i can sort you out with a ticket for the wrap party, £8 each",
            # Second-hand sales, priced, with "dm": the model reads a sale, not a crime.
            "selling my old textbooks, £10 each, dm me",
            "got spare tickets for the gig friday, £15 each dm",
            "selling my phone, screen has a crack, £50",
            "I lent him a tenner for the taxi",
            "same day delivery on the society hoodies if you order by 2pm",
            "the uni's telegram channel has the timetable",
        ],
    ),
    "intimate-images": (
        [
            "who wants her nudes",
            "I've got leaked nudes of him",
            "post her nudes in the group",
            "sharing nudes of my ex",
            "revenge porn is what she deserves",
        ],
        [
            "never share nude images of anyone without consent",
            "the art class has nude drawing on Tuesdays",
            "her new profile pic is nice",
            "he posted his holiday photos",
            "I'm nude-ish in this beach photo lol",
        ],
    ),
    "implied-official-view": (
        [
            "speaking on behalf of DMU, we condemn this",
            "DMU officially says the strike is illegal",
            "on behalf of the university I apologise",
            "this is the official DMU statement on the protest",
            "we at DMU don't support this campaign",
        ],
        [
            "I'm not speaking on behalf of DMU, just my opinion",
            "the official DMU website says term starts Monday",
            "DMU sent an email about the strike",
            "the views expressed are my own",
            "on behalf of the society, welcome everyone",
            "is this what DMU officially says about it?",
        ],
    ),
    "impersonation-posts": (
        [
            "I made a fake account of Jess to mess with her",
            "lets make a fake account pretending to be the lecturer",
            "I'm posting as her from now on lol",
            "made a fake insta of our tutor",
            "I'm pretending to be him in the group chat",
        ],
        [
            "someone made a fake account pretending to be me",
            "there's a fake account of me going round, please report it",
            "the actor is pretending to be a doctor in the play",
            "I made a new account for the society",
            "fake it till you make it",
        ],
    ),
    "someone-elses-password": (
        [
            "her insta password is bella2004, post something funny",
            "jake's password: hunter22",
            "his blackboard password is Leicester#9 if anyone wants his notes",
            "their login details are sam.k / Pa55word",
            "priya's snapchat pw is priya_2003",
            "megan's blackboard login is mwright23, password sunflower2003!",
            "megan's bb: mwright23 / Sunflower2003! have fun",
            "wanna smurf on dan's acc? his login is dan_plays_top / leicester2004!",
            "the treasurer's email \u0440\u0430\u0455\u0455w\u043erd is Leicester#99",
        ],
        [
            "the society's wifi password is dmu2024",
            "her password is too short, she keeps getting locked out",
            "what's your password for blackboard?",
            "jake's password manager is great",
            "the zoom meeting password is 8842",
            "megan's score: 45 / 50 well done",
            "jess's login is the same as the soc one, ask her",
        ],
    ),
    "own-password": (
        [
            "my password for blackboard is Sunflower22! can someone log in and check my grade",
            "my pw is 1234 lol",
            "my insta password: kittens_4ever, post a story for me",
            "my login details are j.smith / Summer2024",
            "my uni email password is Dmu#2025",
        ],
        [
            "my password is too weak lol",
            "i forgot my password for blackboard again",
            "my password for everything is the same, is that bad",
            "changed my password today, finally",
            "my wifi password is on the router: 88fj2k",
            "my cousin says the new cafe is class, pass it round",
        ],
    ),
    "intimidation": (
        [
            "someone find where she lives, she flashed a street sign in the stream",
            "got your address off the delivery label in your unboxing pic. sleep well",
            "if Jade doesn't text back she's gonna find out what happens to girls who play games with me",
            "made another account since you banned my last six lol",
            "@aisha u can't hide forever, i'll find you",
            "i'll keep posting this til you apologise @hana",
        ],
        [
            "you'll find out what happens when you mix bleach and vinegar lol, don't",
            "i comment on every video you post, you're my fave creator",
            "can someone find out where she lives so we can send her a birthday card",
            "you can't hide from the deadline forever lol",
            "i'm not going away this summer, staying in leicester",
        ],
    ),
    "essentialised-groups": (
        [
            "the polish lot in the 2nds always stink of vodka, it's just what they're like as a people",
            "romanians in my halls are dirty, it's in their blood",
            "travellers round here are thieves, they're all the same",
            "muslims on my course are terrorists, it's in their nature",
            "the albanians in our block are criminals, they're all like that",
            "every brazilian in ranked is a thrower, genetically incapable. region lock the monkeys",
        ],
        [
            "the italians as a people really love their food",
            "nail polish always looks dirty on me, those cheap brands are all the same",
            "the welsh as a people are famously good singers",
            "brazilians are genetically gifted at football honestly",
            "my cats are lazy, it's in their nature",
            "the french team were dirty today, they're all the same in that league",
        ],
    ),
    "go-back": (
        [
            "if you don't like it here go back to Romania, nobody wants you",
            "if saka can't take a pen he can fuck off back to where his parents came from",
            "go back to where you came from",
            "piss off back to your own country",
            "fuck off back to poland, nobody wants you here",
        ],
        [
            "go back to bed, you're tired",
            "going back to poland for christmas, can't wait",
            "go back to where you came from in the slide deck and check slide 3",
            "he told me to go back to where i came from, who do i report this to",
            "go back to your seat before the second half starts",
            "a man on the bus told a girl in a hijab to 'go back to your own country', nobody said anything",
        ],
    ),
    "pile-ons": (
        [
            "flood her dms til she deletes insta, get her down to 0 followers girls",
            "ratio this then go into her replies and tell her how ugly she is",
            "everyone report @mikaela_val's tiktok and spam cheater under every post",
            "mass report his account lads, he'll be gone by tonight",
            "spam his comments until he deletes",
            "ok lads flood her mentions with clown emojis",
            "mass report @dan_plays until he's banned, link in my bio",
            "go to Sasha's stream and type 'cheater' nonstop til she logs off",
            "spam her insta till she deletes the post",
            "the lad who grassed is @tomw, go leave your thoughts on his page",
        ],
        [
            "spam the group chat with memes for her birthday",
            "we put a poster under every post box on campus",
            "she said they'd flood her dms if she posted again, who do i report this to",
            "report the spam bot please, it keeps posting links",
            "flood the chat with emotes when the stream starts",
            "getting people to flood his DMs can land you in trouble too, report it instead",
            "we need to make her quit vaping lol",
            "wait until he deletes the duplicate file then re-run it",
            "we're raiding a small streamer after ours ends, go show them love",
            "how many reports till the mods act on the spam accounts?",
            "report the bots till the mods catch up",
            "I watched her stream nonstop til 2am, she's so good",
        ],
    ),
    "sexual-remarks": (
        [
            "Jess from the villa would get it so bad, bet she's filthy",
            "tell your mum to get back on cam, the things i'd do to her",
            "ngl mia_frost in that top, turn around and bend over for chat again pls",
            "matched with Priya, posting her pics so you lot can rate her body",
            "someone leak her nudes already",
        ],
        [
            "bend over for the stretch and hold for 30 seconds",
            "she would get it if you explained it slowly",
            "he said the things he'd do to her and she reported him, good on her",
            "her body is recovering well after the surgery",
            "rate the new kit from 1 to 10",
        ],
    ),
    "phishing": (
        [
            "DMU finance here, your tuition payment failed. send card details to dmu-fees-refund@gmail.com within 24h",
            "roblox admin here, dm me ur password + cookie to verify ur limiteds or they get wiped tonight",
            "FREE 13,500 VBUCKS for first 50!! log in w your epic account at epic-rewardz-claim.xyz",
            "your account is locked, send me your verification code to unlock it",
            "send me your login to verify your place on the trip or it gets deleted",
            "free robux generator, no survey, works 2026 🔥",
            "FREE NITRO for the first 100, claim here: discrod-nitro-gift.com",
            "send 0.05 btc and get 0.1 back, elon giveaway ends tonight",
            "support team here, dm me your recovery phrase and we'll restore your wallet",
            "yo sorry i accidentally reported your account, add this discord staff member to sort it: @dsc_trust_safety",
            "Library services: confirm your login at dmu-library-access.net or lose your loans",
        ],
        [
            "never send anyone your password, even if they say they need it to verify your account",
            "send me your bank details for the refund from the tour, i'll transfer it tonight",
            "the DMU finance team here said to email them, my personal email is jo@gmail.com",
            "free pizza at the SU tonight, log in to the app to claim",
            "the SU finance team are at finance@dmu.ac.uk if your payment failed",
            "PSA: free nitro links like discrod-nitro-gift.com are a scam, don't click",
            "free nitro giveaway in #events this friday, react to enter",
            "never share your seed phrase with anyone, support will never ask",
            "sorry i accidentally reported your message, a mod can undo it",
            "sent him 0.1 eth for the tickets, he'll send the qr codes back tomorrow",
            "update your details on studentfinance.gov.uk before the deadline",
        ],
    ),
    "accusations": (
        [
            "Dr Whitcombe is a racist who marks down foreign names. tell everyone",
            "ravi is defo a creep, no proof but just look at him",
            "dom is a paedo, pass it on",
            "reminder that sam is a scammer, don't trust him with anything",
            "the sister on ward 4 is an alcoholic, avoid her",
            "AB in flat 6 is a druggie and a slag, tell everyone",
        ],
        [
            "my cat is a thief lol, stole my toast again",
            "the defendant is a thief, that's our submission for the moot",
            "heard the villain is a creep in the new series, tell everyone to watch it",
            "he is not a thief, stop saying it, tell everyone",
            "apparently the new sabbatical officer is a legend",
            "my flatmate is such a liar about the washing up lol",
            "he is so drunk lol, avoid him at the bar",
        ],
    ),
    "threats-to-body-or-home": (
        [
            "i've seen your reg plate. i'll put your windows through. try me",
            "honestly daniel deserves a proper kicking for what he said",
            "if zara gets in again someone should torch her bike",
            "someone should set fire to ahmed's room while he's in it",
            "i'll beat nikhil black and blue",
            "genuinely putting kyle in hospital after what he said about my sister",
            "swear down i'll run you over myself, watch",
            "i will break your fingers, not joking this time",
            "whoever keeps taking my space, i'll put your windows through. try me",
            "if he rings me one more time i'll be down there with a baseball bat",
            "if i see that ref at the services he's getting glassed, i'm not joking",
            "@marcus you're getting merked if u show up at the rag raid",
            "the councillor who approved this deserves a brick through his window",
            "scousers coming to ours saturday, we're bringing blades, proper welcome",
            "i know which flat is yours and i will come round and smash your laptop and then your face",
            "come near the prayer room again and you'll get hurt",
            "show your face at training and you'll get battered",
            "if he turns up again i'll put a bullet in his skull",
            "whoever wrote that review deserves a bullet",
            "pay me back by monday or im snapping ur fingers",
            "i'll smash every bone in his body if he comes back",
            "gonna tackle Leo so hard he'll need stitches, he knows why",
            "Sami you're getting 🔪🩸 if you grass",
            "try it and you would be shot by me",
            "youll get battered by my boys after training",
        ],
        [
            "i'll break your heart at the pub quiz",
            "i'm gonna smash your record at the 5k tomorrow",
            "gonna break my legs on this ice lol",
            "i'll run you over to the station after, i've got the car",
            "the rugby team is getting a proper kicking this season",
            "i'll put your name down for the social",
            "my nan will beat me black and blue if i miss sunday dinner lol",
            "whoever ate my yoghurt, i'll break your fingers",
            "i'll be at the nets with my bat at 6, cricket trials",
            "come near my chips again and you'll regret it lol",
            "show your face at the social and you'll regret it, the dj is awful",
            "i'll come round and smash the quiz with you",
            "you're getting jumped on the quiz leaderboard if you skip tonight",
            "she's getting merked in the final tonight",
            "someone threw a brick through his window last night, police are there",
            "i'm bringing knives and forks for the picnic",
            "this slide deserves a bullet point for the budget",
            "that essay deserves a bullet lol it was so dull",
            "i'm breaking my legs in these heels tonight",
            "I broke every bone in my hand skiing in year 9",
            "cut my finger chopping onions 🔪🩸 send plasters",
            "he's getting a knife set for his birthday",
            "chopping onions 🔪🩸 see you at dinner",
            "he's getting gun training for the film role",
            "he was shot by me in the photo, look at that framing",
            "you got shot by me in cod lol",
        ],
    ),
    "third-person-threats": (
        [
            "gonna batter the drummer after the gig, he's been asking for it",
            "i'll put him in hospital if he touches my bike again",
            "someone should honestly glass that ref from saturday",
            "next rehearsal i'm decking him, done being nice",
            "im putting him thru the window of the SU bar lol",
            "i will break his legs if he comes near my sister",
            "i'll put the lighting designer in hospital if he changes my state again",
            # A game's name alone is no game played ("smash" is a game and a verb).
            "if Priya reports me again i will smash her face in, i'll be waiting after netball",
            # A person named, the body part theirs; the next person to cross the author.
            "i'll break Tomasz's legs if he shows up to the AGM",
            "im gonna slit rory's throat when i see him",
            "i'll break every bone in Declan's body",
            "I'll \u0455t\u0430b the next person who takes my desk, not even joking",
            "h0nestly s0meone needs to g1ve Callum a pr0per k1ck1ng after the soc1al",
        ],
        [
            "i'm gonna batter him at fifa tonight",
            "gonna smash him at smash bros later",
            "someone should stab the potatoes before they go in the oven",
            "someone tried to stab him outside the station last night, is he ok?",
            "i'll knock out this essay tonight then pub",
            "deck the halls with the society banner tomorrow",
            "i'll put the leaflets in the hospital foyer on my way to placement",
            # Never on someone's thing, and "in hospital" means as a patient.
            "i'll punch the president's number into my phone later",
            "i'll put her in the hospital rota for the volunteering shifts",
            # "strangle" and "throttle" are as often hyperbole as "kill".
            "ugh my sister. i'm going to throttle her, she's used all my fake tan",
            # Someone's things are not their body; a record is broken, not a person.
            "gonna break Tom's record at parkrun on saturday",
            "i'll break the table's legs down so it fits in the van",
            "the next person who takes my desk gets a strongly worded post-it",
            "give the eggs a good beating before the flour goes in",
            "give it a proper kick, the vending machine always sticks",
            "my mum would give me a right hiding if i failed lol",
        ],
    ),
    "threats-against-someone-named": (
        [
            "gonna \U0001f52a Lewis if he grasses on us to the committee again",
            "somebody needs to glass Harriet, she never shuts up",
            "im gonna stabb Lewis after the game, serios",
            "I'll stab Lewis lol",
            "honestly i could batter @jonno for that",
        ],
        [
            "gonna glass Lewis at pool tonight",
            "ill deck Sam at smash bros later",
            "Lewis got stabbed in town last night, so scary, is he ok?",
            "gonna punch in my hours for Will before the shift",
            "should I bottle Mark's homebrew this weekend",
            "I want to punch the wall after that exam",
        ],
    ),
    "intimate-images-named": (
        [
            "it'd be a real shame if someone leaked Chloe's nudes, just saying",
            "who wants @sam's nudes, dm me",
            "got Jake's sex tape, posting it tonight",
            "Priya's nudes are in the lads' gc lol",
            "sending round Ellie's nude pics after the social",
        ],
        [
            "reminder: sharing anyone's nudes is a crime, don't",
            "Chloe's nudes got leaked and she's in bits, who do we tell",
            "how do we report it if someone's nudes get posted in a gc?",
            "Jake's new song is called sex tape, it slaps",
            "nudes of the life-drawing model are in the art room, Ellie says we can use them",
        ],
    ),
    "third-person-self-harm-incitement": (
        [
            "Anyone else think Stacey should just kill herself? genuinely",
            "Zara should go hang herself",
            "someone tell him to go hang himself lol",
            "he should do us all a favour and kill himself",
            "tbh she needs to just end herself, nobody would notice",
            "tbh Kieran should just unalive himself, would save us all the bother",
            "honestly @maya should just drown herself lmao no hate",
            "honestly Molly should just end it all, the entire country hates her",
            "our left back should drive into a wall after that performance, genuinely",
        ],
        [
            "he tried to kill himself last year, be kind",
            "she should treat herself to a nice dinner",
            "he should honestly just kill himself off in the next season, the character is done",
            "i'd kill myself if i failed that module lol",
            "she should look after herself this week",
            "we should end it all with a group photo",
            "they should end it all with fireworks at the ball",
        ],
    ),
    "exclusion-for-who-they-are": (
        [
            "can we not have Priya on the hike, she's got a stammer and holds the whole group back",
            "not having the blind lad on quiz night again, he's a liability",
            "stop letting boomers join the climbing wall, they slow everyone down",
            "don't let her run the stall, she's in a wheelchair and it's embarrassing",
            "keep him off the pitch, he's autistic and drags the team down",
        ],
        [
            "don't let her carry the heavy boxes, she's pregnant",
            "can we not have it in the basement, Owen's in a wheelchair",
            "can we not have Leo on the steep route, he's in a wheelchair and it isn't accessible",
            "stop letting the fire door slam, it's creepy at night and the deaf students can't hear it",
            "the stereotype that disabled people slow teams down is rubbish",
            "keep him off the ladder, his crutches are at home",
        ],
    ),
    "identity-denial": (
        [
            "enby isn't a real thing, Sam just wants attention",
            "trans people aren't real, it's a phase",
            "asexual isn't real, she just hasn't met the right guy",
            "I'm not calling Alex 'they', he's a boy, end of",
            "not gonna call her they, whatever she says, biology",
        ],
        [
            "people who say bi isn't real are wrong and we'll report it",
            "the nb in the timetable isn't a real slot, ignore it",
            "I'm not calling the meeting, they can sort it themselves, end of",
            "the trans-pennine train isn't real, it never turns up",
            "I'm not calling Alex they by accident any more, I practised",
        ],
    ),
    "veiled-threats": (
        [
            "you still owe me for the tickets, and i know which bus you get home",
            "whoever grassed to the coach, i know it was you",
            "Tom keeps running his mouth, the alley behind his halls has no cameras",
            "snitch all you want, i know what time you finish your shift",
            "funny how you voted for the cuts, i know which office he works in",
        ],
        [
            "I know which lecture you're in, I'll save you a seat",
            "the car park has no cameras, be careful walking back",
            "there are no cameras in the new studio, just saying, lock the door",
            "i know which bus you get, no reason, just want to walk together",
            "I know which book you mean, the one where the kid told the teacher",
            "he told me i know it was you who left the cake, thank you",
        ],
    ),
    "forged-documents": (
        [
            "I can edit your transcript to show a first, nobody checks the pdf",
            "my mate does doctor's notes that look proper legit, £20",
            "how do I make a fit note look like it came from the GP? need it for ECs",
            "faking bank statements for the guarantor form, they look real, £15 a go",
            "doctoring degree certificates for grad schemes, looks genuine",
        ],
        [
            "does my sick note look official enough for the ECs form or do I need a stamp?",
            "make sure your sick note looks official, signed and dated",
            "you can change your transcript delivery address in MyDMU",
            "the GP letter needs to look official so get it stamped at reception",
            "he said someone offered to fake a sick note for him and he reported it",
            "you can change the transcript format, it costs £10 for a certified copy",
            "editing certificates for the awards night, they look proper official!",
        ],
    ),
    "health-rumours": (
        [
            "PSA: Noah has herpes, be careful girls",
            "Mia gave the whole team chlamydia apparently, pass it on",
            "Theo beats his girlfriend, my mate's cousin said so, boycott his gigs",
            "watch out, Kai has got an STD",
            "heard Zoe has an STI lol rt",
        ],
        [
            "1 in 10 students has chlamydia, get tested, pass it on",
            "PSA: free chlamydia tests at the SU on tuesday",
            "Jake told me he has an STI and is getting treated, be kind, he's embarrassed",
            "the film is about a man who beats his wife, be careful it's heavy",
            "my gp says it's not herpes, just a cold sore",
        ],
    ),
    "backhanded-compliments": (
        [
            "Priya you're actually really articulate for an indian",
            "he's quite fit for a fat guy tbh",
            "not bad for a muslim, she can actually take a joke",
            "good goal Abdi, decent for someone who came over on a dinghy",
            "honestly clean for a traveller, his flat was spotless",
        ],
        [
            "pretty good for a first attempt",
            "you're really smart for a fresher, first in the quiz",
            "that's a decent time for a deaf runner, he trained so hard",
            "the film is about a guy who came over on a small boat",
            "the stereotype that it's 'articulate for a black man' is racist",
        ],
    ),
    "mocking-looks-and-disability": (
        [
            "love the photo but she's literally the size of a house",
            "how does he even fit through the door lmao",
            "Jas your face could curdle milk",
            "everyone do an impression of Tom's stutter 😂",
            "got through the presentation without stammering like a broken record, proud of u",
        ],
        [
            "the new sofa is the size of a house",
            "she does an amazing impression of the lecturer's catchphrase",
            "how does the piano even fit through the door",
            "he got through the whole talk without stuttering, so proud of him",
            "the article on mocking someone's stutter was really good",
        ],
    ),
    "outing": (
        [
            "Lucas is gay btw, he told me in confidence but you all deserve to know",
            "Noah's been in the closet for years, someone tell his dad at the match",
            "Zoe was born male, saw her old passport at the bar lol",
            "Riley is bisexual, not out yet, thought the team should know",
            "Aditya is trans, in case anyone was wondering why he changed his name",
        ],
        [
            "Lucas told me in confidence he's gay, how do I support him?",
            "Morgan is gay and running the Pride stall this year, go say hi",
            "tell her mum the trans awareness talk moved to 6pm",
            "my mum's gonna love the pride flag I bought",
            "big news: Sofia came out with her new single today",
            "Casey is bi and so am I, we met at the LGBTQ+ society",
            "Sam came out as the winner of the bake off, in case anyone wondered",
            "Leo's doing the bi-weekly rota, in case anyone wondered",
        ],
    ),
    "calls-for-violence": (
        [
            "THESE SHITHEADS NEED TO BE TORTURED!",
            "they should all be shot lol",
            "he should be shot for that presentation honestly",
            "dr kowal is a clueless old fossil who should be shot",
            "people like him deserve to be hanged",
            "all the refs should be lined up and shot",
            "lynch him",
            "Joe you are a snake that should be hung by the neck on a live feed",
        ],
        [
            "the scene needs to be shot before sunset",
            "these scenes need to be shot in landscape",
            "whoever made this timetable should be shot lol",
            "the banners need to be hung by friday",
            "they need to be beaten on saturday if we want the league",
            "should all murderers be executed? motion for tuesday's debate",
            "the script needs to be executed as root",
            "Charles I was executed in 1649",
            "the banner should be hung from the tree by the entrance",
        ],
    ),
    "urging-self-harm": (
        [
            "Jordan if the society's that bad for you do everyone a favour and jump",
            "wouldn't it be nice if Priya did us all a favour and OD'd",
            "mate you're so washed, uninstall life",
            "gg ez, now ff your life @tomk",
            "why is she still alive honestly",
            "he doesn't deserve to breathe the same air as the rest of us",
            "Callum is too pathetic to live tbh",
            "just don't exist anywhere near us next term",
            "maybe Ellie should take a long walk off a short pier",
            "if you're that miserable go jump off the library roof",
            "she should just overdose already",
        ],
        [
            "a few of us are going to jump off the pier for the RAG challenge",
            "uninstall the game and reinstall it, that fixed it for me",
            "why is my basil plant still alive after a month of no water",
            "do us all a favour and bring biscuits to the AGM",
            "you should jump in, the lake is warmer than it looks",
            "she should jump at the chance to present at the conference",
            "the bacteria shouldn't be alive after the autoclave cycle",
            "I don't exist before my first coffee",
            "do us a favour and hang the banner before the social",
            "do us all a favour and top up the kitty",
            "you should jump off the top board, it's fun",
        ],
    ),
    "impersonation-official-claims": (
        [
            "Hi everyone, this is Professor Williams, the exam has been cancelled",
            "This is the Students' Union: send your bank details to claim your refund",
            "hello all, this is your module leader, the deadline moved to friday",
            "this is dr okafor. tomorrow's lab is online only",
            "attention: this is DMU Security, the library is closed tonight",
        ],
        [
            "this is dr patel's office hours thread from last year, still useful",
            "this is the su bar's new menu",
            "lol this is the university's fault",
            "someone posted 'this is professor williams' as a joke, is that allowed?",
            "this is prof-level procrastination",
        ],
    ),
    "wellbeing-warning-signs": (
        [
            # Once in the wellbeing-risk list too; the pattern reads it and its variants.
            "nobody would care if I died",
            "sorry i've been so quiet at rehearsals. i won't be a burden to any of you for much longer",
            "honestly i don't really care what happens to me anymore",
            "i can't see the point of any of this anymore",
            "haven't properly eaten in like five days, not hungry",
            "can't get to sleep unless i've had half a bottle of wine",
            "been thinking about just not waking up",
            "nobody would even notice if i disappeared tbh",
            "thanks for everything, you've all been amazing. sorry for being a pain. look after each other x",
            "if i dont turn up to the social on friday just know it wasnt anything any of you did x",
            "writing letters tonight, the kind you leave for when ur not around anymore",
            "left everything organised so nobody has to sort my stuff out after",
            "idk why im still bothering with the dissertation. not like ill be around for graduation",
        ],
        [
            "the parking won't be a problem for much longer, they're opening the new car park",
            "i don't care if i die on this hill, pineapple belongs on pizza",
            "i can't see the point of this meeting, can we do it by email?",
            "haven't eaten in like 6 hours, lecture ran over",
            "can't sleep without my weighted blanket now",
            "nobody would notice if i disappeared from the back row of the choir lol",
            "thanks for everything this year, committee! best society at dmu",
            "sorry for being late everyone, thanks for waiting",
            "if i dont turn up friday it wasnt anything you said, my shift got moved",
            "not like i'll be around for the social anyway, i'm at work",
            "leaving the keys with sam so nobody has to wait for me",
        ],
    ),
    "wellbeing-circumstances": (
        [
            "my dad passed last week and i'm meant to submit 2 essays by friday",
            "got kicked out of my accommodation today, idk what to do",
            "haven't got money for food this week, been living on toast since tuesday",
            "my boyfriend checks my phone every night and i'm not allowed out",
            "started cutting again, don't tell anyone",
            "need a drink every night just to get to sleep now",
            "sometimes i think about how easy it'd be to just step off the roof",
            "i'm basically homeless after christmas, landlord's selling",
            "can't pay rent this month and the landlord is threatening to kick us out",
            "made myself sick after dinner again",
            "purged after the social again, pls dont tell anyone",
            "havent spoken to a single person in 2 weeks since everyone went home",
            "3rd day of just black coffee and i kind of like the empty feeling tbh",
            "think about how easy it would be to just take one step forward on the platform",
            "been awake for ages, haven't eaten since tuesday, brain feels like static",
            "had a panic attack in the car park before my shift, third time this week",
            "i keep making myself sick after meals so i fit the costume",
            "landlord kicked me out, spent the last two nights in my car",
            "grades are tanking and my betting debt is at 4k now",
            "my family are planning to take me abroad in the summer to get married and i don't want to",
            "my student loan's run out and I've been living on beans for three weeks",
            "my mum chucked me out after the argument, sofa surfing till I find somewhere",
            "my partner shoved me into the door last night and I don't know who to tell",
            "my gf hit me again and I'm scared to go home",
        ],
        [
            "my dad passed his driving test last week finally",
            "got kicked out of the pub for singing lol",
            "my mum passed on her recipe for lasagne",
            "my nan died laughing at that video",
            "haven't got money for the ski trip this year sadly",
            "i'm cutting my own hair again, fringe era",
            "how easy it'd be to just jump on a train to brighton tbh",
            "the rent is paid, can't believe how cheap it was",
            "made myself sick laughing at the panto",
            "haven't spoken to anyone from my old school in years",
            "the empty feeling after the last exam is weird, what do i do with my evenings",
            "haven't eaten since breakfast, pizza anyone?",
            "i nearly had a panic attack when i saw the timetable lol",
            "made myself sick eating that whole pizza",
            "my family are taking me abroad in the summer for my cousin's wedding, can't wait",
            "dont trust Rajan with the soc money, he's got massive gambling debts",
            "the betting odds on the match are mad",
            "living on pasta for a week of exams, meal prep king",
            "my loan's gone on a new laptop but worth it",
            "my ex was a kickboxer, he hit me with a pillow once lol",
            "the bouncer kicked me out of Popworld for dancing on the table",
            "we went sofa surfing round Europe in the summer, best trip",
        ],
    ),
    "complaint-routes-asked": (
        [
            "the nursery left my son outside alone. i want to make a formal complaint, does anyone know the process?",
            "the treasurer still hasn't refunded us after 3 months. how do we escalate this?",
            "what's the procedure for raising a grievance about a supervisor?",
            "we'd like to lodge an official complaint about the landlord",
            "how can i take this further? the tutor still hasn't answered about what he said",
        ],
        [
            "you should make a formal complaint, the official route is the complaints procedure",
            "how do we escalate the ticket with IT, the printer's still broken",
            "what's the process for booking a room in the SU?",
            "the complaint scene in the film is hilarious",
            "how do i raise my hand in teams, can't find the button",
        ],
    ),
    "wellbeing-giving-away": (
        [
            "giving away all my climbing gear, won't be needing any of it soon",
            "giving my books and my guitar away, won't need them after this week",
            "giving away most of my clothes and my bike. won't be needing them anymore",
            "giving all my plants away, i won't need them where i'm going",
            "giving away my records, wont need them much longer",
        ],
        [
            "giving away my desk and lamp, won't need them after i move out on friday",
            "giving away my old textbooks, graduating next month so won't need them after",
            "giving away my old phone, got a new one so won't need it anymore",
            "giving away my kettle, won't be needing it after the end of term",
            "giving away my lab coat, won't need it soon as i'm on my year abroad",
        ],
    ),
    "wellbeing-giving-away-said": (
        [
            "giving my stuff away to whoever wants it, won't need any of it soon",
            "giving away my things this week, dm me if you want anything",
            "won't need it soon so have my gym pass",
            "she's giving her stuff away and stopped answering, should i be worried?",
            "won't need them where i'm going, take the lot",
        ],
        [
            "giving away my stuff before i move out, dm me",
            "giving my things away cos i'm graduating, come grab them",
            "won't need it soon, got a new one for christmas",
            "giving away my stuff from the clear out, free to a good home",
            "won't need any of it after the end of term, first come first served",
        ],
    ),
    "victim-reports": (
        [
            "someone's got into my insta and is posting stuff as me",
            "my ex has been logging into my email, what do i do",
            "they're saying they'll post the pics to the course group unless i pay them",
            "someone smashed my car window outside the library last night",
            "my bike got stolen from outside the gym, third one this year",
            "a man followed me home from the bus stop again",
        ],
        [
            "you should report it if someone's got into your account",
            "someone took my bag by mistake at the social, black jansport, please swap back",
            "followed me back on insta finally 😍",
            "my phone got smashed in my pocket at the gig, screen's gone",
            "i'll send the pics to the group chat unless you'd rather i didn't",
        ],
    ),
    "own-identifiers": (
        [
            "my NHS number is 485 777 3456 if that helps the form",
            "my ni number: QQ 12 34 56 C",
            "share code is K7P 4LM 2XR, what do i put next",
            "my passport number is 123456789, is that what the trip form wants?",
            "key's under the plant pot if you get there before me",
            "back door's always unlocked, just walk in",
        ],
        [
            "do i need my NHS number for the placement form?",
            "where do i find my share code?",
            "bring your passport for the trip, numbers go on the form not in here",
            "left my keys in the library, has anyone handed them in?",
            "the door code for the studio is on the noticeboard",
        ],
    ),
    "login-pair": (
        [
            "username jsmith42 pw Summer22",
            "login: k.patel / pass: Tiger#88",
            "user dmu_chess and password chess2025 for the stream",
            "email jo.p@gmail.com, password Sunny_day1",
            "username bellaB pw bella2004",
            "it's sam.k92@outlook.com pw Falcon!77 if anyone can log in for me",
        ],
        [
            "the wifi user is guest and pass is dmu2024",
            "username and password are on the welcome sheet",
            "forgot my username, reset my password",
            "user testing went well, pass rate 90%",
            "login with your own username and password",
        ],
    ),
    "third-party-account-misuse": (
        [
            "this is Sam posting from her account lol",
            "I'm logged into his account, watch this",
            "got into her insta and posted on her story",
            "I know his password so I posted as him",
            "using his account to message his ex",
        ],
        [
            "I'm logged into my account",
            "I can't log into my account",
            "someone hacked my account, ignore the messages",
            "he's posting from his own account now",
            "log into your account on blackboard",
        ],
    ),
    "report-intent": (
        [
            "I want to report this",
            "how do I report someone for harassment",
            "I'm reporting Sam for what he said",
            "who do I complain to about this",
            "I want to make a complaint about a tutor",
            "i got mugged outside Bede last night, they took my phone",
            "my drink was spiked at the SU on saturday",
            "who can i tell about a guy who keeps waiting outside my flat",
            "someone spent £200 on my card, bank's sorting it but do i report it to the uni too?",
            "our house got broken into, do we tell the uni as well as the police?",
            "saw a staff member be rough with a patient. want to raise it but scared it'll affect my sign off",
            "someone called the somali students cockroaches in the bar. i told security and they've got cctv",
        ],
        [
            "the report is due on Friday",
            "you should report it to the police tbh",
            "do i tell him i like him or nah",
            "I'm writing my lab report",
            "can you report back after the meeting",
            "complaining about the weather again",
            "the news report was interesting",
            "we got robbed in the semi, their keeper was a wall",
            "someone got mugged near the station last week, walk in groups after socials",
            "who do i contact about booking a recording studio for the band",
            "i want to raise a point about the budget at the agm",
            "i told security i'd lock up after the social",
        ],
    ),
    "wellbeing-risk": (
        [
            "I want to die",
            "I'm going to kill myself",
            "I've been self harming again",
            "I can't go on like this",
            "there's no reason to live anymore",
            "honestly I can't cope anymore",
            "everything feels so pointless lately",
            "what's the point of anything, I just lie in bed all day",
            "I don't want to be here any more",
            "I feel so hopeless, nothing is getting better",
            "I can't cope with anything at the moment",
            "i've started cutting again, sorry for dumping this here",
            "panic attacks every night before the exam and it's getting worse",
            "haven't spoken to anyone in days, feel so isolated here",
            "whats the most paracetamol u can take before it does something",
            "writing goodbye letters tonight, you lot were the best part of uni",
            "gave my skins away, won't need them where i'm going. been nice knowing you lot",
            "going up to the quarry on my own tonight and not coming back down",
        ],
        [
            "I could kill myself laughing at this",
            "been cutting fabric all night for the cosplay",
            "I'm dying to see the new film",
            "the plants are going to die if we don't water them",
            "I want to diet before summer",
            "this deadline is killing me",
            "I can't cope with how cute this puppy is",
            "pointless meeting lol",
            "I can't go on the trip this weekend",
            "there's no point living in halls in third year",
            "I'm hopeless at maths, can someone help",
            "life is pointless without coffee",
            "this reading feels pointless, it's not even on the exam",
            "I can't cope with this wifi",
            "anyone got paracetamol for a headache",
            "writing letters to my nan for her birthday",
            "won't need a coat where we're going, it's 30 degrees in Malaga",
            "coming back down from the top of the wall now, belay me",
        ],
    ),
    "own-documents": (
        [
            "here's a pic of my provisional licence for the minibus form",
            "posting my passport number here for the flights",
            "gonna put my home address in the chat so the merch comes to me",
            "i'll post my NI number and bank details below for the expenses",
            "screenshot of my bank card for the coach booking, sorry it's all visible",
            "login keeps failing, ill paste my student number and password in here",
            # Asking whether to is asking for the tip.
            "is it safe to post my home address here for the secret santa?",
        ],
        [
            "my passport expires next month, need to renew it",
            "where do i get my student card replaced",
            "I'll dm the treasurer my bank details, not posting them here",
            "here's a pic of the minibus form",
            "my address changed, i've updated it on mydmu myself",
            "i'll paste the link to the module page in here",
        ],
    ),
    "disrepute": (
        [
            "as a DMU student I think all immigrants should be deported",
            "DMU students are all thieves",
            "everyone at DMU is a criminal lol",
            "DMU lecturers are all paedos",
            "I'm a DMU student and I hate all of them, they're vermin",
        ],
        [
            "DMU is a great university",
            "I think DMU should lower fees",
            "DMU students are all invited to the open day",
            "the DMU library is full of people today",
            "our lecturers are all on strike",
        ],
    ),
}


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [(rule, text) for rule, (fire, _) in CASES.items() for text in fire],
)
def test_must_fire(run_rule: Run, rule_id: str, text: str) -> None:
    findings = run_rule(rule_id, text)
    assert len(findings) == 1, text
    assert findings[0].rule == rule_id
    assert findings[0].span is not None


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [(rule, text) for rule, (_, quiet) in CASES.items() for text in quiet],
)
def test_must_stay_quiet(run_rule: Run, rule_id: str, text: str) -> None:
    assert run_rule(rule_id, text) == [], text


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [(rule, text) for rule, (_, quiet) in CASES.items() for text in quiet],
)
def test_must_stay_quiet_for_the_whole_label(rules, run_all: Run, rule_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    # Labels have several rules (academic-misconduct has four): none of them may fire.
    label = next(spec.label for spec in rules.rules if spec.id == rule_id)
    assert [f.rule for f in run_all(text) if f.label == label] == [], text


def test_every_hard_label_has_five_each_way() -> None:
    for _, (fire, quiet) in CASES.items():
        assert len(fire) >= 5
        assert len(quiet) >= 5


def test_routes_are_never_violations(run_rule: Run) -> None:
    (report,) = run_rule("report-intent", "how do I report this")
    (wellbeing,) = run_rule("wellbeing-risk", "I want to die")
    assert report.is_route
    assert wellbeing.is_route


def test_disrepute_is_moderator_only_by_default(rules) -> None:  # type: ignore[no-untyped-def]
    assert "disrepute" not in {d.rule_id for d in rules.detectors}


@pytest.mark.parametrize(
    "text",
    ["stop messaging me", "please just LEAVE ME ALONE", "s t o p  t a g g i n g  m e", "back off"],
)
def test_desist_requests(rules, text: str) -> None:  # type: ignore[no-untyped-def]
    assert rules.desist.search(text)


@pytest.mark.parametrize(
    "text", ["don't stop me now", "leave the door open", "I need to back up my files", "stop"]
)
def test_not_desist_requests(rules, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not rules.desist.search(text)


def test_requires_person_uses_member_names(run_rule: Run) -> None:
    # In lower case a given name counts only for a member the bot has seen.
    text = "apparently priya slept with the TA, pass it on"
    assert run_rule("rumours", text, names={"u7": "Priya K"}) != []
    assert run_rule("rumours", text, names={}) == []


def test_words_apart() -> None:
    text = "one two three four"
    assert words_apart(text, (0, 3), (14, 18)) == 3
    assert words_apart(text, (14, 18), (0, 3)) == 3
    assert words_apart(text, (0, 7), (4, 13)) == 0
