<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>CodeDialog</name>
    <message>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <source>show</source>
        <translation>zeigen</translation>
    </message>
    <message>
        <source>pin</source>
        <translation>behalten</translation>
    </message>
    <message>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>best</source>
        <translation>beste</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>samples/s</source>
        <translation>Beispiele/s</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Als CSV exportieren…</translation>
    </message>
    <message>
        <source>Train the model of the settings with SGD, momentum, RMSProp and Adam at once, from the same start on the same batches</source>
        <translation>Das Modell der Einstellungen gleichzeitig mit SGD, Momentum, RMSProp und Adam trainieren, vom selben Start aus mit denselben Stapeln</translation>
    </message>
    <message>
        <source>Loss (solid: held-out, dashed: training)</source>
        <translation>Verlust (durchgezogen: zurückgehaltene Daten, gestrichelt: Training)</translation>
    </message>
    <message>
        <source>Held-out error</source>
        <translation>Fehler auf den zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Twin run…</source>
        <translation>Zwillingslauf…</translation>
    </message>
    <message>
        <source>Set up B, trained beside A (the settings column) on the same batches</source>
        <translation>B einrichten, das neben A (der Einstellungsspalte) mit denselben Stapeln trainiert</translation>
    </message>
    <message>
        <source>First-layer weights at epoch</source>
        <translation>Gewichte der ersten Schicht in Epoche</translation>
    </message>
    <message>
        <source>Runs side by side: press Reset (or change a setting and Start) and the run on screen is kept here, up to 8 (pin one to keep it). {kept} kept, and the run on screen.</source>
        <translation>Läufe nebeneinander: Drücke Zurücksetzen (oder ändere eine Einstellung und drücke Starten), dann wird der angezeigte Lauf hier aufbewahrt, bis zu 8 (markiere „behalten“, um einen festzuhalten). {kept} aufbewahrt, dazu der angezeigte Lauf.</translation>
    </message>
    <message>
        <source>Runs side by side: press Reset (or change a setting and Start) and the run on screen is kept here, up to 8 (pin one to keep it). {kept} kept.</source>
        <translation>Läufe nebeneinander: Drücke Zurücksetzen (oder ändere eine Einstellung und drücke Starten), dann wird der angezeigte Lauf hier aufbewahrt, bis zu 8 (markiere „behalten“, um einen festzuhalten). {kept} aufbewahrt.</translation>
    </message>
    <message>
        <source>No runs yet: train one, then change a setting and train another.</source>
        <translation>Noch keine Läufe: Trainiere einen, ändere dann eine Einstellung und trainiere noch einen.</translation>
    </message>
    <message>
        <source>twin B</source>
        <translation>Zwilling B</translation>
    </message>
    <message>
        <source>on screen</source>
        <translation>angezeigt</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>(epoch {epoch})</source>
        <translation>(Epoche {epoch})</translation>
    </message>
    <message>
        <source>Loss along a straight line between two sets of weights</source>
        <translation>Verlust entlang einer geraden Linie zwischen zwei Gewichtssätzen</translation>
    </message>
    <message>
        <source>α (0: the first, 1: the second)</source>
        <translation>α (0: der erste, 1: der zweite)</translation>
    </message>
    <message>
        <source>held-out loss</source>
        <translation>Verlust auf zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>start of {run} (W₀)</source>
        <translation>Start von {run} (W₀)</translation>
    </message>
    <message>
        <source>{run}, now</source>
        <translation>{run}, jetzt</translation>
    </message>
    <message>
        <source>Train a run to see the loss along a line.</source>
        <translation>Trainiere einen Lauf, um den Verlust entlang einer Linie zu sehen.</translation>
    </message>
    <message>
        <source>{a} and {b} are networks of different shapes: no straight line joins them. Choose two of one architecture.</source>
        <translation>{a} und {b} sind Netze verschiedener Form: Keine gerade Linie verbindet sie. Wähle zwei mit demselben Aufbau.</translation>
    </message>
    <message>
        <source>Evaluating 41 points between {a} and {b}…</source>
        <translation>41 Punkte zwischen {a} und {b} werden ausgewertet…</translation>
    </message>
    <message>
        <source>From {a} (α = 0) to {b} (α = 1), on 2,000 held-out digits: the lowest loss, {loss}, is at α = {alpha}.</source>
        <translation>Von {a} (α = 0) bis {b} (α = 1), auf 2.000 zurückgehaltenen Ziffern: Der kleinste Verlust, {loss}, liegt bei α = {alpha}.</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Build the model and train</source>
        <translation>Das Modell bauen und trainieren</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Pause or resume (Space)</source>
        <translation>Anhalten oder fortsetzen (Leertaste)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Train on one batch, then pause (Right arrow)</source>
        <translation>Mit einem Stapel trainieren, dann anhalten (Pfeil nach rechts)</translation>
    </message>
    <message>
        <source>Step epoch</source>
        <translation>Ganze Epoche</translation>
    </message>
    <message>
        <source>Train to the end of the current epoch, then pause</source>
        <translation>Bis zum Ende der laufenden Epoche trainieren, dann anhalten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>End the run; its plots stay until the next Start</source>
        <translation>Den Lauf beenden; seine Diagramme bleiben bis zum nächsten Start</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>End the run and clear the plots</source>
        <translation>Den Lauf beenden und die Diagramme leeren</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>From full speed (right) down to slow motion, a second per step (left)</source>
        <translation>Von voller Geschwindigkeit (rechts) bis Zeitlupe, eine Sekunde pro Schritt (links)</translation>
    </message>
    <message>
        <source>Demo pace</source>
        <translation>Vorführtempo</translation>
    </message>
    <message>
        <source>20 steps a second: slow enough to watch the curves grow and the weights change in front of a class</source>
        <translation>20 Schritte pro Sekunde: langsam genug, um vor einer Klasse zu zeigen, wie die Kurven wachsen und sich die Gewichte ändern</translation>
    </message>
</context>
<context>
    <name>DataCommands</name>
    <message>
        <source>Could not load {path}:
{error}</source>
        <translation>{path} konnte nicht geladen werden:
{error}</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Open data folder…</source>
        <translation>Daten-Ordner öffnen…</translation>
    </message>
    <message>
        <source>A folder with train-/t10k- images and labels IDX files, gzip or raw, or a folder of pictures with one sub-folder per class (CSV and .npz files: File ▸ Open data file…)</source>
        <translation>Ein Ordner mit train-/t10k-Bild- und Label-Dateien im IDX-Format, mit gzip gepackt oder roh, oder ein Ordner mit Bildern, ein Unterordner pro Klasse (CSV- und .npz-Dateien: Datei ▸ Datendatei öffnen…)</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <source>Only one split was found: this share of it (its last examples) is held out to validate on</source>
        <translation>Es wurde nur ein Teil gefunden: Dieser Anteil davon (seine letzten Beispiele) wird zum Validieren zurückgehalten</translation>
    </message>
    <message>
        <source>No data loaded</source>
        <translation>Keine Daten geladen</translation>
    </message>
    <message>
        <source>The examples per split, the classes and a few examples appear here once data is loaded.</source>
        <translation>Sobald Daten geladen sind, erscheinen hier die Anzahl der Beispiele je Teil, die Klassen und einige Beispiele.</translation>
    </message>
    <message>
        <source>both from the {split} split</source>
        <translation>beide aus dem Teil {split}</translation>
    </message>
    <message>
        <source>training on the first {count} of {total} training examples</source>
        <translation>Training mit den ersten {count} von {total} Trainingsbeispielen</translation>
    </message>
    <message>
        <source>Classes: {names}</source>
        <translation>Klassen: {names}</translation>
    </message>
    <message>
        <source>Loading {path}…</source>
        <translation>{path} wird geladen…</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <source>Download {dataset}</source>
        <translation>{dataset} herunterladen</translation>
    </message>
    <message>
        <source>&lt;b&gt;{dataset}&lt;/b&gt;&lt;br&gt;into {folder}</source>
        <translation>&lt;b&gt;{dataset}&lt;/b&gt;&lt;br&gt;nach {folder}</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird aufgebaut…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>{file}   (file {number} of {count})</source>
        <translation>{file}   (Datei {number} von {count})</translation>
    </message>
</context>
<context>
    <name>Evaluate</name>
    <message>
        <source>Accuracy per class</source>
        <translation>Genauigkeit pro Klasse</translation>
    </message>
    <message>
        <source>class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>right</source>
        <translation>richtig</translation>
    </message>
    <message>
        <source>Accuracy per class (dashed: all, {overall}; red: the hardest, {worst})</source>
        <translation>Genauigkeit pro Klasse (gestrichelt: alle, {overall}; rot: die schwierigste, {worst})</translation>
    </message>
    <message>
        <source>The model answers only the digits it is at least this sure of</source>
        <translation>Das Modell beantwortet nur die Ziffern, bei denen es sich mindestens so sicher ist</translation>
    </message>
    <message>
        <source>Accuracy against coverage</source>
        <translation>Genauigkeit gegen Abdeckung</translation>
    </message>
    <message>
        <source>share of digits answered</source>
        <translation>Anteil der beantworteten Ziffern</translation>
    </message>
    <message>
        <source>accuracy on them</source>
        <translation>Genauigkeit auf diesen</translation>
    </message>
    <message>
        <source>Answer only if at least</source>
        <translation>Nur antworten bei mindestens</translation>
    </message>
    <message>
        <source>This model&apos;s outputs are values, not probabilities (linear regression): it has no confidence to set a threshold on.</source>
        <translation>Die Ausgaben dieses Modells sind Werte, keine Wahrscheinlichkeiten (lineare Regression): Es hat keine Sicherheit, auf die man eine Schwelle setzen könnte.</translation>
    </message>
    <message>
        <source>{accuracy} of those right.</source>
        <translation>{accuracy} davon richtig.</translation>
    </message>
    <message>
        <source>none to judge.</source>
        <translation>keine, die man beurteilen könnte.</translation>
    </message>
    <message>
        <source>At least {sure}% sure: it answers {coverage} of the digits ({answered} of {total}) and gets {right} Answering all: {all}.</source>
        <translation>Mindestens {sure} % sicher: Es beantwortet {coverage} der Ziffern ({answered} von {total}) und hat {right} Wenn es alle beantwortet: {all}.</translation>
    </message>
    <message>
        <source>counts</source>
        <translation>Anzahlen</translation>
    </message>
    <message>
        <source>% of the true class</source>
        <translation>% der richtigen Klasse</translation>
    </message>
    <message>
        <source>Held-out accuracy</source>
        <translation>Genauigkeit auf zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>Confusion matrix: click a cell to see its digits</source>
        <translation>Verwechslungsmatrix: Klicke auf eine Zelle, um ihre Ziffern zu sehen</translation>
    </message>
    <message>
        <source>Numbers:</source>
        <translation>Zahlen:</translation>
    </message>
    <message>
        <source>Confidence threshold</source>
        <translation>Schwelle der Sicherheit</translation>
    </message>
    <message>
        <source>Robustness: accuracy on spoiled digits</source>
        <translation>Robustheit: Genauigkeit auf verdorbenen Ziffern</translation>
    </message>
    <message>
        <source>Map of a layer: PCA of its activations</source>
        <translation>Karte einer Schicht: PCA ihrer Aktivierungen</translation>
    </message>
    <message>
        <source>Train a run (or open a model) to evaluate it here.</source>
        <translation>Trainiere einen Lauf (oder öffne ein Modell), um ihn hier zu bewerten.</translation>
    </message>
    <message>
        <source>Evaluating step {step} on the held-out set…</source>
        <translation>Schritt {step} wird auf den zurückgehaltenen Daten bewertet…</translation>
    </message>
    <message>
        <source>; {count} of them at least {share} sure; average confidence {mean}</source>
        <translation>; {count} davon mit mindestens {share} Sicherheit; mittlere Sicherheit {mean}</translation>
    </message>
    <message>
        <source>on the {n} {split} digits at epoch {epoch} (step {step}). Loss {loss}; {wrong} wrong{sure}.</source>
        <translation>auf den {n} Ziffern ({split}) in Epoche {epoch} (Schritt {step}). Verlust {loss}; {wrong} falsch{sure}.</translation>
    </message>
    <message>
        <source>Gaussian noise</source>
        <translation>Gaußsches Rauschen</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>Drehung</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Verschiebung</translation>
    </message>
    <message>
        <source>Stroke thickness</source>
        <translation>Strichdicke</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Spoiling the {count} held-out digits in four ways and answering them…</source>
        <translation>Die {count} zurückgehaltenen Ziffern werden auf vier Arten verdorben und beantwortet…</translation>
    </message>
    <message>
        <source>Accuracy at step {step} on spoiled held-out digits (plain: {plain}). Pick a way and a setting to see a digit spoiled so.</source>
        <translation>Genauigkeit bei Schritt {step} auf verdorbenen zurückgehaltenen Ziffern (unverändert: {plain}). Wähle eine Art und eine Stärke, um eine so verdorbene Ziffer zu sehen.</translation>
    </message>
    <message>
        <source>: {accuracy} right</source>
        <translation>: {accuracy} richtig</translation>
    </message>
    <message>
        <source>t-SNE (slower)</source>
        <translation>t-SNE (langsamer)</translation>
    </message>
    <message>
        <source>PCA places the digits along the layer&apos;s two main directions; t-SNE (with scikit-learn installed) keeps neighbours together, in about 10 s a map</source>
        <translation>PCA ordnet die Ziffern entlang der zwei Hauptrichtungen der Schicht an; t-SNE (wenn scikit-learn installiert ist) hält Nachbarn beieinander, in etwa 10 s pro Karte</translation>
    </message>
    <message>
        <source>first principal axis</source>
        <translation>erste Hauptachse</translation>
    </message>
    <message>
        <source>second</source>
        <translation>zweite</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Placing the digits…</source>
        <translation>Die Ziffern werden angeordnet…</translation>
    </message>
    <message>
        <source>Placing the digits by t-SNE (about ten seconds)…</source>
        <translation>Die Ziffern werden mit t-SNE angeordnet (etwa zehn Sekunden)…</translation>
    </message>
    <message>
        <source>the two axes hold {share} of the variance of {layer}</source>
        <translation>die beiden Achsen enthalten {share} der Varianz von {layer}</translation>
    </message>
    <message>
        <source>t-SNE of {layer}: near points are digits the layer sees alike; distances between clusters mean little</source>
        <translation>t-SNE von {layer}: Nahe Punkte sind Ziffern, die die Schicht ähnlich sieht; Abstände zwischen Gruppen bedeuten wenig</translation>
    </message>
    <message>
        <source>{count} held-out digits at step {step}; {what}.</source>
        <translation>{count} zurückgehaltene Ziffern bei Schritt {step}; {what}.</translation>
    </message>
    <message>
        <source>{split} digit {index}: a {label} (click to select it)</source>
        <translation>Ziffer {index} ({split}): {label} (klicken, um sie auszuwählen)</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>PyTorch (safetensors)…</source>
        <translation>PyTorch (safetensors)…</translation>
    </message>
    <message>
        <source>Loss plot</source>
        <translation>Verlustkurve</translation>
    </message>
    <message>
        <source>Error plot</source>
        <translation>Fehlerkurve</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>Verwechslungsmatrix</translation>
    </message>
    <message>
        <source>Weight images</source>
        <translation>Bilder der Gewichte</translation>
    </message>
    <message>
        <source>Misclassified gallery</source>
        <translation>Galerie der Fehlklassifizierten</translation>
    </message>
    <message>
        <source>Stop the run before {doing}.</source>
        <translation>Beende den Lauf, bevor du {doing}.</translation>
    </message>
    <message>
        <source>opening a model</source>
        <translation>ein Modell öffnest</translation>
    </message>
    <message>
        <source>The data is still loading: open the model when it is on screen.</source>
        <translation>Die Daten werden noch geladen: Öffne das Modell, sobald sie angezeigt werden.</translation>
    </message>
    <message>
        <source>Could not open the model: {error}</source>
        <translation>Das Modell konnte nicht geöffnet werden: {error}</translation>
    </message>
    <message>
        <source>Could not open {file}: {error}</source>
        <translation>{file} konnte nicht geöffnet werden: {error}</translation>
    </message>
    <message>
        <source>Opened {path}: {epochs} epochs, {samples} samples seen. Start or Step continues its training.</source>
        <translation>{path} geöffnet: {epochs} Epochen, {samples} Beispiele gesehen. Starten oder Schritt setzt sein Training fort.</translation>
    </message>
    <message>
        <source>Open the data {file} was trained on first (File ▸ Open data folder…).</source>
        <translation>Öffne zuerst die Daten, mit denen {file} trainiert wurde (Datei ▸ Daten-Ordner öffnen…).</translation>
    </message>
    <message>
        <source>Other data was opened while {folder} loaded, so {file} was not opened on it: open the model again.</source>
        <translation>Während {folder} geladen wurde, wurden andere Daten geöffnet; {file} wurde daher nicht darauf geöffnet: Öffne das Modell noch einmal.</translation>
    </message>
    <message>
        <source>{file} was trained on {folder}, which could not be opened (see the data panel).</source>
        <translation>{file} wurde mit {folder} trainiert, und das ließ sich nicht öffnen (siehe die Daten-Spalte).</translation>
    </message>
    <message>
        <source>Nothing to save yet: train a model or open one first.</source>
        <translation>Noch nichts zu speichern: Trainiere zuerst ein Modell oder öffne eines.</translation>
    </message>
    <message>
        <source>Could not save the model to {path}: {reason}</source>
        <translation>Das Modell konnte nicht in {path} gespeichert werden: {reason}</translation>
    </message>
    <message>
        <source>Saved the model after {epochs} epochs ({samples} samples) to {path}</source>
        <translation>Das Modell nach {epochs} Epochen ({samples} Beispiele) in {path} gespeichert</translation>
    </message>
    <message>
        <source>Nothing to export yet: train a model or open one first.</source>
        <translation>Noch nichts zu exportieren: Trainiere zuerst ein Modell oder öffne eines.</translation>
    </message>
    <message>
        <source>Could not export the model: {error}</source>
        <translation>Das Modell konnte nicht exportiert werden: {error}</translation>
    </message>
    <message>
        <source>Could not export the model to {path}: {reason}</source>
        <translation>Das Modell konnte nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
        <source>Exported the model after {steps} steps to {paths}</source>
        <translation>Das Modell nach {steps} Schritten nach {paths} exportiert</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>PyTorch code for the exported model</source>
        <translation>PyTorch-Code für das exportierte Modell</translation>
    </message>
    <message>
        <source>Saved the tensors to {tensors} and this code to {code}. In PyTorch (with the safetensors package), it rebuilds the network as an nn.Sequential and loads the tensors:</source>
        <translation>Die Tensoren wurden in {tensors} gespeichert und dieser Code in {code}. In PyTorch (mit dem Paket safetensors) baut er das Netz als nn.Sequential nach und lädt die Tensoren:</translation>
    </message>
    <message>
        <source>Nothing to export yet: the {view} fills in once a model trains.</source>
        <translation>Noch nichts zu exportieren: Die Ansicht „{view}“ füllt sich, sobald ein Modell trainiert.</translation>
    </message>
    <message>
        <source>Could not export the {view} to {path}: {reason}</source>
        <translation>Die Ansicht „{view}“ konnte nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
        <source>Exported the {view} to {path}</source>
        <translation>Die Ansicht „{view}“ nach {path} exportiert</translation>
    </message>
    <message>
        <source>No metrics yet: train a model or open one first.</source>
        <translation>Noch keine Messwerte: Trainiere zuerst ein Modell oder öffne eines.</translation>
    </message>
    <message>
        <source>Could not export the metrics to {path}: {reason}</source>
        <translation>Die Messwerte konnten nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
        <source>Exported {epochs} epochs of metrics to {path}</source>
        <translation>Messwerte von {epochs} Epochen nach {path} exportiert</translation>
    </message>
    <message>
        <source>No runs to compare yet: train one, then another.</source>
        <translation>Noch keine Läufe zum Vergleichen: Trainiere einen, dann einen weiteren.</translation>
    </message>
    <message>
        <source>Could not export the comparison to {path}: {reason}</source>
        <translation>Der Vergleich konnte nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
        <source>Exported {runs} runs to {path}</source>
        <translation>{runs} Läufe nach {path} exportiert</translation>
    </message>
    <message>
        <source>Nothing to animate yet: the weights fill in once a model trains.</source>
        <translation>Noch nichts zu animieren: Die Gewichte füllen sich, sobald ein Modell trainiert.</translation>
    </message>
    <message>
        <source>A weights animation is being exported: wait for it to finish.</source>
        <translation>Eine Animation der Gewichte wird gerade exportiert: Warte, bis sie fertig ist.</translation>
    </message>
    <message>
        <source>Could not export the weights animation to {path}: {reason}</source>
        <translation>Die Animation der Gewichte konnte nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
        <source>Exporting {frames} frames of the weights to {path}…</source>
        <translation>{frames} Bilder der Gewichte werden nach {path} exportiert…</translation>
    </message>
    <message>
        <source>Exported {frames} frames of the weights to {path}</source>
        <translation>{frames} Bilder der Gewichte nach {path} exportiert</translation>
    </message>
    <message>
        <source> ({frames} of the run&apos;s {moments} moments, evenly spaced)</source>
        <translation> ({frames} der {moments} Momente des Laufs, gleichmäßig verteilt)</translation>
    </message>
    <message>
        <source>opening other data</source>
        <translation>andere Daten öffnest</translation>
    </message>
    <message>
        <source>downloading data</source>
        <translation>Daten herunterlädst</translation>
    </message>
    <message>
        <source>Could not download {dataset}: {reason}
The data and the run on screen are unchanged.</source>
        <translation>{dataset} konnte nicht heruntergeladen werden: {reason}
Die Daten und der angezeigte Lauf bleiben unverändert.</translation>
    </message>
    <message>
        <source>Download of {dataset} cancelled; no partial file was kept. The data and the run on screen are unchanged.</source>
        <translation>Download von {dataset} abgebrochen; keine halbe Datei wurde behalten. Die Daten und der angezeigte Lauf bleiben unverändert.</translation>
    </message>
    <message>
        <source>Downloaded {folder}; opening it</source>
        <translation>{folder} heruntergeladen; wird geöffnet</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Open a saved model</source>
        <translation>Ein gespeichertes Modell öffnen</translation>
    </message>
    <message>
        <source>Saved models (*.npz)</source>
        <translation>Gespeicherte Modelle (*.npz)</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>Das Modell speichern</translation>
    </message>
    <message>
        <source>Open a folder of IDX files, or of pictures in class folders</source>
        <translation>Einen Ordner mit IDX-Dateien oder mit Bildern in Klassenordnern öffnen</translation>
    </message>
    <message>
        <source>Open a data file</source>
        <translation>Eine Datendatei öffnen</translation>
    </message>
    <message>
        <source>Data files (*.csv *.npz *-ubyte *-ubyte.gz);;CSV files (*.csv);;NumPy archives (*.npz);;All files (*)</source>
        <translation>Datendateien (*.csv *.npz *-ubyte *-ubyte.gz);;CSV-Dateien (*.csv);;NumPy-Archive (*.npz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export a view</source>
        <translation>Eine Ansicht exportieren</translation>
    </message>
    <message>
        <source>PNG images, twice the screen&apos;s pixels (*.png);;SVG drawings (*.svg)</source>
        <translation>PNG-Bilder mit doppelter Bildschirmauflösung (*.png);;SVG-Zeichnungen (*.svg)</translation>
    </message>
    <message>
        <source>Export the metrics per epoch</source>
        <translation>Die Messwerte pro Epoche exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export the weights as an animation</source>
        <translation>Die Gewichte als Animation exportieren</translation>
    </message>
    <message>
        <source>GIF animations (*.gif)</source>
        <translation>GIF-Animationen (*.gif)</translation>
    </message>
    <message>
        <source>Export the comparison of the runs</source>
        <translation>Den Vergleich der Läufe exportieren</translation>
    </message>
    <message>
        <source>Export the model as ONNX</source>
        <translation>Das Modell als ONNX exportieren</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX-Modelle (*.onnx)</translation>
    </message>
    <message>
        <source>Export the model for PyTorch</source>
        <translation>Das Modell für PyTorch exportieren</translation>
    </message>
    <message>
        <source>safetensors files (*.safetensors)</source>
        <translation>safetensors-Dateien (*.safetensors)</translation>
    </message>
    <message>
        <source>Open a lesson</source>
        <translation>Eine Lektion öffnen</translation>
    </message>
    <message>
        <source>Lessons (*.json *.toml)</source>
        <translation>Lektionen (*.json *.toml)</translation>
    </message>
    <message>
        <source>Save as lesson</source>
        <translation>Als Lektion speichern</translation>
    </message>
    <message>
        <source>Lessons (*.json)</source>
        <translation>Lektionen (*.json)</translation>
    </message>
    <message>
        <source>Save the predictions</source>
        <translation>Die Vorhersagen speichern</translation>
    </message>
</context>
<context>
    <name>HelpTexts</name>
    <message>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <source>pause or resume training (wherever the focus is, but in the hidden-sizes text)</source>
        <translation>Training anhalten oder fortsetzen (wo auch immer der Fokus ist, außer im Feld der verborgenen Schichten)</translation>
    </message>
    <message>
        <source>→</source>
        <translation>→</translation>
    </message>
    <message>
        <source>train one batch, then pause (in a field: once the text cursor is at its end)</source>
        <translation>einen Stapel trainieren, dann anhalten (in einem Feld: sobald die Schreibmarke an seinem Ende steht)</translation>
    </message>
    <message>
        <source>Timeline: ← →</source>
        <translation>Zeitleiste: ← →</translation>
    </message>
    <message>
        <source>one recorded moment back or forward</source>
        <translation>einen aufgezeichneten Moment zurück oder vor</translation>
    </message>
    <message>
        <source>Timeline: Home / End</source>
        <translation>Zeitleiste: Pos1 / Ende</translation>
    </message>
    <message>
        <source>the start of the run / follow it live again</source>
        <translation>der Anfang des Laufs / ihm wieder live folgen</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Strg+O</translation>
    </message>
    <message>
        <source>open a data folder</source>
        <translation>einen Daten-Ordner öffnen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Strg+Umschalt+O</translation>
    </message>
    <message>
        <source>open a saved model</source>
        <translation>ein gespeichertes Modell öffnen</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Strg+S</translation>
    </message>
    <message>
        <source>save the model</source>
        <translation>das Modell speichern</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>How wrong the model is, per batch (faint), smoothed (dark), and per epoch on the training (orange) and held-out (green) data. Lower is better; a held-out curve rising while the training curve falls is overfitting.</source>
        <translation>Wie falsch das Modell liegt: pro Stapel (blass), geglättet (dunkel) und pro Epoche auf den Trainingsdaten (orange) und den zurückgehaltenen Daten (grün). Niedriger ist besser; steigt die Kurve der zurückgehaltenen Daten, während die Trainingskurve fällt, ist das Überanpassung.</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>The share of examples answered wrongly, per epoch, on a log scale: 10 % → 1 % is as big a step as 100 % → 10 %.</source>
        <translation>Der Anteil der falsch beantworteten Beispiele pro Epoche, auf logarithmischer Skala: 10 % → 1 % ist ein ebenso großer Schritt wie 100 % → 10 %.</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>The first layer&apos;s weights, one tile per unit (per class for softmax regression): red pixels push the unit up, blue ones down. By default the change since the start.</source>
        <translation>Die Gewichte der ersten Schicht, ein Kästchen pro Einheit (bei der Softmax-Regression pro Klasse): rote Pixel erhöhen die Einheit, blaue senken sie. Standardmäßig die Änderung seit dem Start.</translation>
    </message>
    <message>
        <source>Misclassified</source>
        <translation>Falsch erkannt</translation>
    </message>
    <message>
        <source>The held-out images the model gets wrong, the most confident mistakes first: true → predicted and how sure it was.</source>
        <translation>Die zurückgehaltenen Bilder, die das Modell falsch erkennt, die sichersten Irrtümer zuerst: richtig → vorhergesagt und wie sicher es war.</translation>
    </message>
    <message>
        <source>Confusion</source>
        <translation>Verwechslungen</translation>
    </message>
    <message>
        <source>Rows are the true classes, columns the answers: the diagonal is right, every other cell a kind of mistake.</source>
        <translation>Die Zeilen sind die wahren Klassen, die Spalten die Antworten: Die Diagonale ist richtig, jede andere Zelle eine Art von Fehler.</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Drag back to see every view as it was at that moment of the run; Live follows it.</source>
        <translation>Zurückziehen, um jede Ansicht so zu sehen, wie sie in diesem Moment des Laufs war; Live folgt ihm.</translation>
    </message>
    <message>
        <source>Inside</source>
        <translation>Innen</translation>
    </message>
    <message>
        <source>Draw a digit and watch each layer answer: the input the network sees, its answer, the units that light up, the softmax worked out, and what happens when you switch a unit off.</source>
        <translation>Zeichne eine Ziffer und sieh jeder Schicht beim Antworten zu: die Eingabe, die das Netz sieht, seine Antwort, die Einheiten, die aufleuchten, die Softmax Schritt für Schritt ausgerechnet, und was passiert, wenn du eine Einheit abschaltest.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>The last step taken with Step (→), taken apart: its batch, the forward pass of one digit, the error flowing back layer by layer (probabilities minus the one-hot label at the output), the change it made to the weights, and a check of the gradients by finite differences.</source>
        <translation>Der letzte mit Schritt (→) gemachte Schritt, zerlegt: sein Stapel, der Vorwärtsdurchlauf einer Ziffer, der Fehler, der Schicht für Schicht zurückfließt (an der Ausgabe die Wahrscheinlichkeiten minus das One-hot-Label), die Änderung, die er an den Gewichten bewirkt hat, und eine Prüfung der Gradienten mit finiten Differenzen.</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <source>How good the moment&apos;s model is on the held-out set: accuracy per class, the confusion matrix (click a cell to see its digits), what answering only when sure gives, how it copes with noisy, turned, shifted or thinner digits, and a map of the digits as a layer sees them.</source>
        <translation>Wie gut das Modell dieses Moments auf den zurückgehaltenen Daten ist: Genauigkeit pro Klasse, die Verwechslungsmatrix (ein Klick auf eine Zelle zeigt ihre Ziffern), was es bringt, nur bei Sicherheit zu antworten, wie es mit verrauschten, gedrehten, verschobenen oder dünneren Ziffern zurechtkommt, und eine Karte der Ziffern, wie eine Schicht sie sieht.</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>Vitalwerte</translation>
    </message>
    <message>
        <source>Per layer: the weights against their start, the gradient&apos;s size and the size of each update against the weights (about 0.001 is healthy), and the hidden units that died or saturated.</source>
        <translation>Pro Schicht: die Gewichte im Vergleich zu ihrem Start, die Größe des Gradienten und die Größe jeder Aktualisierung im Verhältnis zu den Gewichten (etwa 0,001 ist gesund) sowie die verborgenen Einheiten, die abgestorben oder gesättigt sind.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Every run you replaced (Reset, or Start with other settings) beside the one on screen: their curves overlaid, their settings and results in a table, their weights side by side.</source>
        <translation>Jeder Lauf, den du ersetzt hast (Zurücksetzen oder Starten mit anderen Einstellungen), neben dem aktuellen: ihre Kurven übereinander, ihre Einstellungen und Ergebnisse in einer Tabelle, ihre Gewichte nebeneinander.</translation>
    </message>
</context>
<context>
    <name>Hints</name>
    <message>
        <source>After {epochs} epoch the held-out error is {error}, no better than guessing ({chance})</source>
        <translation>Nach {epochs} Epoche liegt die Fehlerrate auf den zurückgehaltenen Daten bei {error}, nicht besser als Raten ({chance})</translation>
    </message>
    <message>
        <source>After {epochs} epochs the held-out error is {error}, no better than guessing ({chance})</source>
        <translation>Nach {epochs} Epochen liegt die Fehlerrate auf den zurückgehaltenen Daten bei {error}, nicht besser als Raten ({chance})</translation>
    </message>
    <message>
        <source>{after}: a learning rate of {rate} is too high for this model. Its steps overshoot, or they have switched its ReLU units off for good, and lowering it now will not bring them back. Start again at {fix}.</source>
        <translation>{after}: Eine Lernrate von {rate} ist für dieses Modell zu hoch. Seine Schritte schießen übers Ziel hinaus, oder sie haben seine ReLU-Einheiten für immer abgeschaltet, und eine kleinere Rate bringt sie jetzt nicht zurück. Starte neu mit {fix}.</translation>
    </message>
    <message>
        <source>{after}: a learning rate of {rate} is too low, so the weights have hardly moved from their random start. Start again at {fix}.</source>
        <translation>{after}: Eine Lernrate von {rate} ist zu niedrig, deshalb haben sich die Gewichte kaum von ihrem zufälligen Start wegbewegt. Starte neu mit {fix}.</translation>
    </message>
    <message>
        <source>The training loss has risen for {epochs} epochs in a row at a learning rate of {rate}: the steps overshoot the bottom of the valley. Start again at {fix}.</source>
        <translation>Der Trainingsverlust ist bei einer Lernrate von {rate} {epochs} Epochen hintereinander gestiegen: Die Schritte schießen über den Grund des Tals hinaus. Starte neu mit {fix}.</translation>
    </message>
</context>
<context>
    <name>Hyperparameters</name>
    <message>
        <source>one positive whole number such as 100</source>
        <translation>eine positive ganze Zahl wie 100</translation>
    </message>
    <message>
        <source>positive whole numbers separated by commas, such as 256,128</source>
        <translation>positive ganze Zahlen, durch Kommas getrennt, wie 256,128</translation>
    </message>
    <message>
        <source>hidden layer sizes {text} not understood: expected {expected}</source>
        <translation>Größen der verborgenen Schichten {text} nicht verstanden: erwartet wird {expected}</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>volle Geschwindigkeit</translation>
    </message>
    <message>
        <source>{ms} ms / step</source>
        <translation>{ms} ms / Schritt</translation>
    </message>
    <message>
        <source>{s} s / step</source>
        <translation>{s} s / Schritt</translation>
    </message>
</context>
<context>
    <name>Inside</name>
    <message>
        <source>What the network sees</source>
        <translation>Was das Netz sieht</translation>
    </message>
    <message>
        <source>Its answer</source>
        <translation>Seine Antwort</translation>
    </message>
    <message>
        <source>Softmax</source>
        <translation>Softmax</translation>
    </message>
    <message>
        <source>The softmax, number by number</source>
        <translation>Die Softmax, Zahl für Zahl</translation>
    </message>
    <message>
        <source>Neuron lab</source>
        <translation>Neuronen-Labor</translation>
    </message>
    <message>
        <source>Edit a copy of the model</source>
        <translation>Eine Kopie des Modells bearbeiten</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Remove the last stroke</source>
        <translation>Den letzten Strich entfernen</translation>
    </message>
    <message>
        <source>Thickness of the pen, on a 280 px canvas</source>
        <translation>Dicke des Stifts, auf einer Zeichenfläche von 280 px</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>A random digit of the held-out set</source>
        <translation>Eine zufällige Ziffer aus den zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>Next mistake</source>
        <translation>Nächster Fehler</translation>
    </message>
    <message>
        <source>The next held-out digit this moment&apos;s model gets wrong</source>
        <translation>Die nächste zurückgehaltene Ziffer, die das Modell dieses Moments falsch erkennt</translation>
    </message>
    <message>
        <source>Draw pad</source>
        <translation>Zeichenfeld</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>Stift</translation>
    </message>
    <message>
        <source>Held-out digit:</source>
        <translation>Zurückgehaltene Ziffer:</translation>
    </message>
    <message>
        <source>Evaluating this moment on the held-out set…</source>
        <translation>Dieser Moment wird auf den zurückgehaltenen Daten bewertet…</translation>
    </message>
    <message>
        <source>This moment&apos;s model gets every held-out digit right</source>
        <translation>Das Modell dieses Moments erkennt jede zurückgehaltene Ziffer richtig</translation>
    </message>
    <message>
        <source>{split} digit {index}: a {label}</source>
        <translation>Ziffer {index} ({split}): {label}</translation>
    </message>
    <message>
        <source>drawings become square inputs: this data&apos;s {rows}×{cols} images cannot be drawn (take a held-out one instead)</source>
        <translation>Zeichnungen werden zu quadratischen Eingaben: Die {rows}×{cols}-Bilder dieser Daten lassen sich nicht zeichnen (nimm stattdessen ein zurückgehaltenes)</translation>
    </message>
    <message>
        <source>Draw a digit, or take one from the held-out set</source>
        <translation>Zeichne eine Ziffer oder nimm eine aus den zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>Start training (or open a model) to see its answer</source>
        <translation>Starte das Training (oder öffne ein Modell), um seine Antwort zu sehen</translation>
    </message>
    <message>
        <source>Its answer at epoch {epoch}</source>
        <translation>Seine Antwort in Epoche {epoch}</translation>
    </message>
    <message>
        <source>Its answer at epoch {epoch} (timeline)</source>
        <translation>Seine Antwort in Epoche {epoch} (Zeitleiste)</translation>
    </message>
</context>
<context>
    <name>LessonActions</name>
    <message>
        <source>Stop the run before opening a lesson.</source>
        <translation>Beende den Lauf, bevor du eine Lektion öffnest.</translation>
    </message>
    <message>
        <source>Could not open the lesson {error}</source>
        <translation>Die Lektion konnte nicht geöffnet werden: {error}</translation>
    </message>
    <message>
        <source>the download folder {folder}</source>
        <translation>im Download-Ordner {folder}</translation>
    </message>
    <message>
        <source>The lesson “{lesson}” trains on {dataset}, which was not found on this computer (looked in {where}). Download it with the button in the lesson panel or the Dataset menu; the lesson goes on once it is loaded.</source>
        <translation>Die Lektion „{lesson}“ trainiert mit {dataset}, und das wurde auf diesem Computer nicht gefunden (gesucht: {where}). Lade es mit dem Knopf in der Lektionsspalte oder über das Menü Datensatz herunter; die Lektion geht weiter, sobald es geladen ist.</translation>
    </message>
    <message>
        <source>The lesson “{lesson}” trains on the dataset “{dataset}”, which was not found (looked in {where}). Open a folder called {dataset} with File ▸ Open data folder…; the lesson goes on once it is loaded.</source>
        <translation>Die Lektion „{lesson}“ trainiert mit dem Datensatz „{dataset}“, und der wurde nicht gefunden (gesucht: {where}). Öffne einen Ordner namens {dataset} mit Datei ▸ Daten-Ordner öffnen…; die Lektion geht weiter, sobald er geladen ist.</translation>
    </message>
    <message>
        <source>The data of the lesson “{lesson}” could not be loaded (the data panel says why).</source>
        <translation>Die Daten der Lektion „{lesson}“ konnten nicht geladen werden (die Daten-Spalte sagt, warum).</translation>
    </message>
    <message>
        <source>The lesson “{lesson}” trains on {dataset}; other data was opened, so its settings wait until {dataset} is loaded.</source>
        <translation>Die Lektion „{lesson}“ trainiert mit {dataset}; es wurden andere Daten geöffnet, deshalb warten ihre Einstellungen, bis {dataset} geladen ist.</translation>
    </message>
    <message>
        <source>Open data first: a lesson names the dataset it trains on.</source>
        <translation>Öffne zuerst Daten: Eine Lektion nennt den Datensatz, mit dem sie trainiert.</translation>
    </message>
    <message>
        <source>Could not save the lesson: {error}</source>
        <translation>Die Lektion konnte nicht gespeichert werden: {error}</translation>
    </message>
    <message>
        <source>Could not save the lesson {error}</source>
        <translation>Die Lektion konnte nicht gespeichert werden: {error}</translation>
    </message>
    <message>
        <source>Could not save the lesson to {path}: {reason}</source>
        <translation>Die Lektion konnte nicht in {path} gespeichert werden: {reason}</translation>
    </message>
    <message>
        <source>Saved the lesson “{lesson}” to {path}</source>
        <translation>Die Lektion „{lesson}“ in {path} gespeichert</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Close lesson</source>
        <translation>Lektion schließen</translation>
    </message>
    <message>
        <source>End the lesson: every tab and control comes back</source>
        <translation>Die Lektion beenden: Alle Tabs und Einstellungen kommen zurück</translation>
    </message>
    <message>
        <source>Download {dataset}…</source>
        <translation>{dataset} herunterladen…</translation>
    </message>
    <message>
        <source>Download {dataset} into the app&apos;s download folder, then go on with the lesson</source>
        <translation>{dataset} in den Download-Ordner der App herunterladen, dann mit der Lektion weitermachen</translation>
    </message>
    <message>
        <source>Save as lesson</source>
        <translation>Als Lektion speichern</translation>
    </message>
    <message>
        <source>What the lesson shows, e.g. “Overfitting on 500 digits”</source>
        <translation>Was die Lektion zeigt, z. B. „Überanpassung mit 500 Ziffern“</translation>
    </message>
    <message>
        <source>What the student should watch for, in a few sentences</source>
        <translation>Worauf die Lernenden achten sollen, in ein paar Sätzen</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training läuft</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Inside</source>
        <translation>Innen</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>Vitalwerte</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Loading data…</source>
        <translation>Daten werden geladen…</translation>
    </message>
    <message>
        <source>Start again at learning rate {rate}</source>
        <translation>Neu starten mit Lernrate {rate}</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;data folder…</source>
        <translation>&amp;Daten-Ordner öffnen…</translation>
    </message>
    <message>
        <source>Open data f&amp;ile (CSV, npz)…</source>
        <translation>Datendate&amp;i öffnen (CSV, npz)…</translation>
    </message>
    <message>
        <source>Open &amp;model…</source>
        <translation>&amp;Modell öffnen…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save model…</source>
        <translation>Modell &amp;speichern…</translation>
    </message>
    <message>
        <source>Export mode&amp;l</source>
        <translation>Modell e&amp;xportieren</translation>
    </message>
    <message>
        <source>Open &amp;lesson…</source>
        <translation>&amp;Lektion öffnen…</translation>
    </message>
    <message>
        <source>Lesso&amp;ns</source>
        <translation>Le&amp;ktionen</translation>
    </message>
    <message>
        <source>Save as lesso&amp;n…</source>
        <translation>Als Lektio&amp;n speichern…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>Weights animation (GIF)…</source>
        <translation>Gewichte als Animation (GIF)…</translation>
    </message>
    <message>
        <source>Metrics per epoch (CSV)…</source>
        <translation>Messwerte pro Epoche (CSV)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Data&amp;set</source>
        <translation>Daten&amp;satz</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>&amp;Präsentationsmodus</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;What am I looking at?</source>
        <translation>&amp;Was sehe ich hier?</translation>
    </message>
    <message>
        <source>{view} (PNG or SVG)…</source>
        <translation>{view} (PNG oder SVG)…</translation>
    </message>
    <message>
        <source>Everything 1.5× larger and the settings on one line: for a projector</source>
        <translation>Alles 1,5× größer und die Einstellungen in einer Zeile: für den Beamer</translation>
    </message>
    <message>
        <source>No lessons found</source>
        <translation>Keine Lektionen gefunden</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>What am I looking at?</source>
        <translation>Was sehe ich hier?</translation>
    </message>
    <message>
        <source>{file} (cannot be read)</source>
        <translation>{file} (nicht lesbar)</translation>
    </message>
    <message>
        <source>Data: {path}</source>
        <translation>Daten: {path}</translation>
    </message>
    <message>
        <source>Model: {path}</source>
        <translation>Modell: {path}</translation>
    </message>
    <message>
        <source>Nothing opened yet</source>
        <translation>Noch nichts geöffnet</translation>
    </message>
    <message>
        <source>{path} (found via {source})</source>
        <translation>{path} (gefunden über {source})</translation>
    </message>
    <message>
        <source>No datasets found</source>
        <translation>Keine Datensätze gefunden</translation>
    </message>
    <message>
        <source>Download {dataset}…</source>
        <translation>{dataset} herunterladen…</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Softmax regression</source>
        <translation>Softmax-Regression</translation>
    </message>
    <message>
        <source>Two-layer ReLU network</source>
        <translation>Zweischichtiges ReLU-Netz</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP (mehrschichtiges Perzeptron)</translation>
    </message>
    <message>
        <source>Linear regression (MSE)</source>
        <translation>Lineare Regression (MSE)</translation>
    </message>
    <message>
        <source>softmax cross-entropy</source>
        <translation>Softmax-Kreuzentropie</translation>
    </message>
    <message>
        <source>mean squared error</source>
        <translation>mittlerer quadratischer Fehler</translation>
    </message>
    <message>
        <source>binary cross-entropy</source>
        <translation>binäre Kreuzentropie</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>konstant</translation>
    </message>
    <message>
        <source>step decay</source>
        <translation>stufenweise kleiner</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Softmax regression: one layer, a template per class. Two-layer: a hidden layer of ReLU units in between. MLP: as many hidden layers as you like. Linear regression: fits the one-hot targets with squared error.</source>
        <translation>Softmax-Regression: eine Schicht, eine Vorlage pro Klasse. Zweischichtig: dazwischen eine verborgene Schicht aus ReLU-Einheiten. MLP: so viele verborgene Schichten, wie du willst. Lineare Regression: passt sich den One-hot-Zielen mit quadratischem Fehler an.</translation>
    </message>
    <message>
        <source>How many units each hidden layer has, e.g. 256,128 for two layers. More units can learn more, and take longer.</source>
        <translation>Wie viele Einheiten jede verborgene Schicht hat, z. B. 256,128 für zwei Schichten. Mehr Einheiten können mehr lernen und brauchen länger.</translation>
    </message>
    <message>
        <source>What each hidden unit does with its weighted sum: ReLU keeps positives and zeroes negatives; sigmoid and tanh squash it into a range.</source>
        <translation>Was jede verborgene Einheit mit ihrer gewichteten Summe macht: ReLU behält positive Werte und setzt negative auf null; Sigmoid und tanh drücken sie in einen Bereich zusammen.</translation>
    </message>
    <message>
        <source>What the last layer does with its sums before the loss sees them.</source>
        <translation>Was die letzte Schicht mit ihren Summen macht, bevor der Verlust sie sieht.</translation>
    </message>
    <message>
        <source>How wrong an answer counts: cross-entropy punishes a confident wrong answer hard; squared error measures the distance to the target.</source>
        <translation>Wie schwer eine falsche Antwort zählt: Die Kreuzentropie bestraft eine selbstsichere falsche Antwort hart; der quadratische Fehler misst den Abstand zum Ziel.</translation>
    </message>
    <message>
        <source>Whether each unit also learns a constant it adds to its sum.</source>
        <translation>Ob jede Einheit zusätzlich eine Konstante lernt, die sie zu ihrer Summe addiert.</translation>
    </message>
    <message>
        <source>How the weights start. Different starts learn different features; too large or too small a start can stall learning.</source>
        <translation>Wie die Gewichte beginnen. Verschiedene Starts lernen verschiedene Merkmale; ein zu großer oder zu kleiner Start kann das Lernen ausbremsen.</translation>
    </message>
    <message>
        <source>The random numbers of the starting weights: the same seed starts the same way.</source>
        <translation>Die Zufallszahlen der Startgewichte: Derselbe Startwert beginnt gleich.</translation>
    </message>
    <message>
        <source>How big a step each update takes down the loss&apos;s slope. Too small crawls; too large overshoots and the loss jumps or explodes.</source>
        <translation>Wie groß jeder Schritt den Hang des Verlusts hinab ist. Zu klein kriecht; zu groß schießt übers Ziel hinaus, und der Verlust springt oder explodiert.</translation>
    </message>
    <message>
        <source>How many examples each step averages its gradient over. Small batches are noisy and quick; large ones are smooth and slower per step.</source>
        <translation>Über wie viele Beispiele jeder Schritt seinen Gradienten mittelt. Kleine Stapel sind verrauscht und schnell; große sind glatt und pro Schritt langsamer.</translation>
    </message>
    <message>
        <source>How many times training goes through the whole training set.</source>
        <translation>Wie oft das Training die ganze Trainingsmenge durchläuft.</translation>
    </message>
    <message>
        <source>How the learning rate changes as training goes on. 1/(1+t/τ): after t steps the rate is divided by 1 + t/τ, with τ a tenth of the run, so it halves after a tenth. Step decay: ×0.1 at each third. Cosine: down to 0 along a half cosine.</source>
        <translation>Wie sich die Lernrate im Lauf des Trainings ändert. 1/(1+t/τ): Nach t Schritten wird die Rate durch 1 + t/τ geteilt, mit τ einem Zehntel des Laufs, sie halbiert sich also nach einem Zehntel. Stufenweise: ×0,1 nach jedem Drittel. Kosinus: entlang eines halben Kosinus bis auf 0.</translation>
    </message>
    <message>
        <source>How much of the previous step each step keeps: like a ball rolling downhill, it speeds up along a steady slope and smooths out zig-zags. 0 = none, 0.9 = a lot.</source>
        <translation>Wie viel vom vorigen Schritt jeder Schritt beibehält: Wie eine Kugel, die bergab rollt, wird es entlang eines gleichmäßigen Hangs schneller und glättet Zickzackbewegungen. 0 = gar nicht, 0,9 = sehr viel.</translation>
    </message>
    <message>
        <source>Pulls every weight a little towards zero at each step, so that no weight grows larger than the data asks for (it can curb overfitting).</source>
        <translation>Zieht jedes Gewicht bei jedem Schritt ein wenig in Richtung null, damit kein Gewicht größer wird, als die Daten verlangen (das kann Überanpassung bremsen).</translation>
    </message>
    <message>
        <source>How each step turns the gradient into a change of the weights. SGD: the rate times the gradient (plus momentum). Nesterov: momentum that looks ahead. AdaGrad, RMSProp and Adam give every weight its own step size from its past gradients; they want far smaller rates (Adam: about 0.001).</source>
        <translation>Wie jeder Schritt den Gradienten in eine Änderung der Gewichte umsetzt. SGD: die Rate mal der Gradient (plus Momentum). Nesterov: Momentum, das vorausschaut. AdaGrad, RMSProp und Adam geben jedem Gewicht aus seinen bisherigen Gradienten eine eigene Schrittweite; sie brauchen viel kleinere Raten (Adam: etwa 0,001).</translation>
    </message>
    <message>
        <source>In training, each hidden unit is switched off with this chance at every step, so that no unit can rely on another: it curbs overfitting. Evaluation uses them all.</source>
        <translation>Beim Training wird jede verborgene Einheit bei jedem Schritt mit dieser Wahrscheinlichkeit abgeschaltet, damit sich keine Einheit auf eine andere verlassen kann: Das bremst Überanpassung. Beim Bewerten sind alle dabei.</translation>
    </message>
    <message>
        <source>Shift each training digit by up to this many pixels at random, a new shift each time it is seen: the network learns that a moved digit is the same digit.</source>
        <translation>Jede Trainingsziffer zufällig um bis zu so viele Pixel verschieben, jedes Mal neu: Das Netz lernt, dass eine verschobene Ziffer dieselbe Ziffer ist.</translation>
    </message>
    <message>
        <source>Turn each training digit by up to this many degrees either way, at random.</source>
        <translation>Jede Trainingsziffer zufällig um bis zu so viele Grad in beide Richtungen drehen.</translation>
    </message>
    <message>
        <source>Add random noise of this size (its σ, on pixels from 0 to 1) to each training digit.</source>
        <translation>Jeder Trainingsziffer zufälliges Rauschen dieser Stärke hinzufügen (sein σ, bei Pixeln von 0 bis 1).</translation>
    </message>
    <message>
        <source>Pause when the held-out loss has not improved for this many epochs: training longer would only fit the training set better.</source>
        <translation>Anhalten, wenn sich der Verlust auf den zurückgehaltenen Daten so viele Epochen lang nicht verbessert hat: Längeres Training würde nur die Trainingsmenge besser auswendig lernen.</translation>
    </message>
    <message>
        <source>When it stops early, go back to the weights of the best held-out loss.</source>
        <translation>Beim frühen Stoppen zu den Gewichten mit dem besten Verlust auf den zurückgehaltenen Daten zurückkehren.</translation>
    </message>
    <message>
        <source>Visit the training examples in a new random order each epoch, instead of the same order every time.</source>
        <translation>Die Trainingsbeispiele in jeder Epoche in neuer zufälliger Reihenfolge durchgehen statt jedes Mal in derselben.</translation>
    </message>
    <message>
        <source>The random numbers of the shuffling: the same seed visits the same order.</source>
        <translation>Die Zufallszahlen des Mischens: Derselbe Startwert ergibt dieselbe Reihenfolge.</translation>
    </message>
    <message>
        <source>default for the model</source>
        <translation>Standard des Modells</translation>
    </message>
    <message>
        <source>normal, 1/fan-in</source>
        <translation>normal, 1/Fan-in</translation>
    </message>
    <message>
        <source>randn / √fan-out</source>
        <translation>randn / √Fan-out</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>Nullen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Hidden sizes</source>
        <translation>Verborgene Schichten</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Aktivierung</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>Bias</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>Initialisierung</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>Lernraten-Plan</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Gewichtsabnahme</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>Variieren</translation>
    </message>
    <message>
        <source>Early stop</source>
        <translation>Früh stoppen</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>Mischen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>learn biases</source>
        <translation>Bias lernen</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> Epochen</translation>
    </message>
    <message>
        <source>best</source>
        <translation>beste</translation>
    </message>
    <message>
        <source>each epoch</source>
        <translation>jede Epoche</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>Startwert </translation>
    </message>
</context>
<context>
    <name>OpenedRun</name>
    <message>
        <source>the model reads images of {inputs} pixels, but the loaded data has {rows}×{cols} = {pixels}: open the data it was trained on first</source>
        <translation>das Modell liest Bilder mit {inputs} Pixeln, die geladenen Daten haben aber {rows}×{cols} = {pixels}: Öffne zuerst die Daten, mit denen es trainiert wurde</translation>
    </message>
    <message>
        <source>the model tells {classes} classes apart, but the loaded data has {data_classes}</source>
        <translation>das Modell unterscheidet {classes} Klassen, die geladenen Daten haben aber {data_classes}</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>epoch {epoch} of {epochs}</source>
        <translation>Epoche {epoch} von {epochs}</translation>
    </message>
    <message>
        <source>epoch {epoch} (past the {epochs} planned)</source>
        <translation>Epoche {epoch} (über die geplanten {epochs} hinaus)</translation>
    </message>
    <message>
        <source>batch {batch} of {batches}</source>
        <translation>Stapel {batch} von {batches}</translation>
    </message>
    <message>
        <source>learning rate {rate}</source>
        <translation>Lernrate {rate}</translation>
    </message>
    <message>
        <source>{rate} samples/s</source>
        <translation>{rate} Beispiele/s</translation>
    </message>
    <message>
        <source>elapsed {time}</source>
        <translation>vergangen {time}</translation>
    </message>
    <message>
        <source>ETA {time}</source>
        <translation>noch {time}</translation>
    </message>
</context>
<context>
    <name>Race</name>
    <message>
        <source>The race stopped: {error}</source>
        <translation>Das Rennen wurde abgebrochen: {error}</translation>
    </message>
    <message>
        <source>The race was stopped.</source>
        <translation>Das Rennen wurde beendet.</translation>
    </message>
</context>
<context>
    <name>RunCommands</name>
    <message>
        <source>This model has already trained {epochs} epoch: raise Epochs above {epochs} and press Start to train it further, or press Reset to train a new one.</source>
        <translation>Dieses Modell hat schon {epochs} Epoche trainiert: Stelle Epochen höher als {epochs} und drücke Starten, um es weiter zu trainieren, oder drücke Zurücksetzen, um ein neues zu trainieren.</translation>
    </message>
    <message>
        <source>This model has already trained {epochs} epochs: raise Epochs above {epochs} and press Start to train it further, or press Reset to train a new one.</source>
        <translation>Dieses Modell hat schon {epochs} Epochen trainiert: Stelle Epochen höher als {epochs} und drücke Starten, um es weiter zu trainieren, oder drücke Zurücksetzen, um ein neues zu trainieren.</translation>
    </message>
    <message>
        <source>Load data, and pause the run on screen, before racing the optimisers.</source>
        <translation>Lade Daten und halte den angezeigten Lauf an, bevor du die Optimierer um die Wette laufen lässt.</translation>
    </message>
    <message>
        <source>Cannot race: {error}</source>
        <translation>Das Wettrennen kann nicht starten: {error}</translation>
    </message>
    <message>
        <source>Stop race</source>
        <translation>Rennen beenden</translation>
    </message>
    <message>
        <source>Racing SGD, momentum, RMSProp and Adam for {epochs} epochs in the Compare tab.</source>
        <translation>SGD, Momentum, RMSProp und Adam laufen {epochs} Epochen lang um die Wette, im Tab „Vergleichen“.</translation>
    </message>
    <message>
        <source>Load data before starting a twin run.</source>
        <translation>Lade Daten, bevor du einen Zwillingslauf startest.</translation>
    </message>
    <message>
        <source>Stop the optimiser race before starting a twin run.</source>
        <translation>Beende das Rennen der Optimierer, bevor du einen Zwillingslauf startest.</translation>
    </message>
    <message>
        <source>Cannot start the twin: {error}</source>
        <translation>Der Zwilling kann nicht starten: {error}</translation>
    </message>
    <message>
        <source>Twin run: A (the settings) and B (the Compare tab&apos;s twin panel) train on the same batches; Pause, Step and Step epoch act on both.</source>
        <translation>Zwillingslauf: A (die Einstellungen) und B (der Zwilling im Tab „Vergleichen“) trainieren mit denselben Stapeln; Anhalten, Schritt und Ganze Epoche wirken auf beide.</translation>
    </message>
    <message>
        <source>Race optimisers</source>
        <translation>Optimierer-Wettrennen</translation>
    </message>
    <message>
        <source>The optimiser race is over: see the Compare tab.</source>
        <translation>Das Rennen der Optimierer ist vorbei: siehe den Tab „Vergleichen“.</translation>
    </message>
    <message>
        <source>The model was changed, so the run was ended. Press Start to train the new one.</source>
        <translation>Das Modell wurde geändert, daher wurde der Lauf beendet. Drücke Starten, um das neue zu trainieren.</translation>
    </message>
    <message>
        <source>The data is still loading: start when it is on screen.</source>
        <translation>Die Daten werden noch geladen: Starte, sobald sie angezeigt werden.</translation>
    </message>
    <message>
        <source>B&apos;s {error}</source>
        <translation>B: {error}</translation>
    </message>
    <message>
        <source>Cannot start: {error}</source>
        <translation>Kann nicht starten: {error}</translation>
    </message>
</context>
<context>
    <name>Step</name>
    <message>
        <source>No step yet</source>
        <translation>Noch kein Schritt</translation>
    </message>
    <message>
        <source>Step one example</source>
        <translation>Schritt mit einem Beispiel</translation>
    </message>
    <message>
        <source>The next step on a single digit (the first of the next batch): plain stochastic gradient descent on one example</source>
        <translation>Der nächste Schritt mit einer einzigen Ziffer (der ersten des nächsten Stapels): schlichtes stochastisches Gradientenverfahren mit einem Beispiel</translation>
    </message>
    <message>
        <source>Gradient check</source>
        <translation>Gradientenprüfung</translation>
    </message>
    <message>
        <source>Compare the backpropagated gradients of this batch with central differences (ε = {epsilon}, float64) for {count} weights drawn at random and every bias</source>
        <translation>Die per Backpropagation berechneten Gradienten dieses Stapels mit zentralen Differenzen vergleichen (ε = {epsilon}, float64), für {count} zufällig gezogene Gewichte und jeden Bias</translation>
    </message>
    <message>
        <source>in batch order</source>
        <translation>in Stapelreihenfolge</translation>
    </message>
    <message>
        <source>highest loss first</source>
        <translation>höchster Verlust zuerst</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>‖W‖ before</source>
        <translation>‖W‖ vorher</translation>
    </message>
    <message>
        <source>The batch: each digit with its label → prediction and its loss (click one)</source>
        <translation>Der Stapel: jede Ziffer mit Label → Vorhersage und ihrem Verlust (klicke eine an)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>Forward, for the selected digit</source>
        <translation>Vorwärts, für die gewählte Ziffer</translation>
    </message>
    <message>
        <source>Backward, for the same digit</source>
        <translation>Rückwärts, für dieselbe Ziffer</translation>
    </message>
    <message>
        <source>The update</source>
        <translation>Die Aktualisierung</translation>
    </message>
    <message>
        <source>Load data and train a run first.</source>
        <translation>Lade zuerst Daten und trainiere einen Lauf.</translation>
    </message>
    <message>
        <source>Step {step}: taking it apart…</source>
        <translation>Schritt {step}: wird zerlegt…</translation>
    </message>
    <message>
        <source>This step cannot be taken apart: {error}</source>
        <translation>Dieser Schritt lässt sich nicht zerlegen: {error}</translation>
    </message>
    <message>
        <source>The record keeps this older step&apos;s weights in half precision (float16): ΔW is approximate, and the forward pass uses the rounded weights.</source>
        <translation>Die Aufzeichnung speichert die Gewichte dieses älteren Schritts mit halber Genauigkeit (float16): ΔW ist ungefähr, und der Vorwärtsdurchlauf verwendet die gerundeten Gewichte.</translation>
    </message>
    <message>
        <source>This run drops {share} of the hidden units at random in each step: the passes shown use them all, so ΔW differs from −η∇W shown.</source>
        <translation>Dieser Lauf lässt in jedem Schritt zufällig {share} der verborgenen Einheiten weg: Die gezeigten Durchläufe verwenden alle, daher weicht ΔW vom gezeigten −η∇W ab.</translation>
    </message>
    <message>
        <source>The batch is shown as the step trained on it, after augmentation.</source>
        <translation>Der Stapel wird so gezeigt, wie der Schritt mit ihm trainiert hat, nach dem Variieren.</translation>
    </message>
    <message>
        <source>Step inspector</source>
        <translation>Schritt-Inspektor</translation>
    </message>
    <message>
        <source>one example</source>
        <translation>ein Beispiel</translation>
    </message>
    <message>
        <source>a batch of {size}</source>
        <translation>ein Stapel aus {size}</translation>
    </message>
    <message>
        <source>Step {step}: epoch {epoch}, batch {batch}: {kind}, learning rate {rate}</source>
        <translation>Schritt {step}: Epoche {epoch}, Stapel {batch}: {kind}, Lernrate {rate}</translation>
    </message>
    <message>
        <source>Batch loss {loss} (the mean of the {size} losses below); {wrong} of {size} wrong before the step.</source>
        <translation>Verlust des Stapels {loss} (der Mittelwert der {size} Verluste unten); {wrong} von {size} falsch vor dem Schritt.</translation>
    </message>
    <message>
        <source>digit {j} of the batch (training row {row}): a {true}, predicted {predicted}, loss {loss}</source>
        <translation>Ziffer {j} des Stapels (Trainingszeile {row}): eine {true}, vorhergesagt {predicted}, Verlust {loss}</translation>
    </message>
    <message>
        <source>Forward, for digit {j} of the batch (a {true})</source>
        <translation>Vorwärts, für Ziffer {j} des Stapels (eine {true})</translation>
    </message>
    <message>
        <source>Backward, for the same digit: the error signals, output to input</source>
        <translation>Rückwärts, für dieselbe Ziffer: die Fehlersignale, von der Ausgabe zur Eingabe</translation>
    </message>
    <message>
        <source>The digit, as the network reads it.

Predicted {predicted}; {loss}</source>
        <translation>Die Ziffer, wie das Netz sie liest.

Vorhergesagt {predicted}; {loss}</translation>
    </message>
    <message>
        <source>Softmax cross-entropy: the error at the output is the probabilities minus the one-hot label, p − y. The true class ({true}) gets p − 1 &lt; 0, pushing its score up; every other class gets its own probability, pushing it down.</source>
        <translation>Softmax-Kreuzentropie: Der Fehler an der Ausgabe ist die Wahrscheinlichkeiten minus das One-hot-Label, p − y. Die richtige Klasse ({true}) bekommt p − 1 &lt; 0, was ihren Wert nach oben drückt; jede andere Klasse bekommt ihre eigene Wahrscheinlichkeit, was sie nach unten drückt.</translation>
    </message>
    <message>
        <source>Binary cross-entropy takes the sigmoid in: the error at the output is (p − y)/k, the outputs minus the one-hot label over the number of outputs.</source>
        <translation>Die binäre Kreuzentropie schließt das Sigmoid mit ein: Der Fehler an der Ausgabe ist (p − y)/k, die Ausgaben minus das One-hot-Label geteilt durch die Zahl der Ausgaben.</translation>
    </message>
    <message>
        <source>Mean squared error: the output&apos;s gradient is 2(output − y)/k; times the {activation} derivative it is the error at the output.</source>
        <translation>Mittlerer quadratischer Fehler: Der Gradient der Ausgabe ist 2(Ausgabe − y)/k; mal der Ableitung von {activation} ist er der Fehler an der Ausgabe.</translation>
    </message>
    <message>
        <source>Checking the gradients by central differences…</source>
        <translation>Die Gradienten werden mit zentralen Differenzen geprüft…</translation>
    </message>
    <message>
        <source>The gradient check could not run: {error}</source>
        <translation>Die Gradientenprüfung konnte nicht laufen: {error}</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>NICHT BESTANDEN</translation>
    </message>
    <message>
        <source>; {count} left out where a ReLU switched within ±ε</source>
        <translation>; {count} ausgelassen, wo eine ReLU innerhalb von ±ε umschaltete</translation>
    </message>
    <message>
        <source>Gradient check: {verdict}. Largest relative error {error} ({worst}) {compared} {tolerance}, over {count} parameters compared by central differences{skipped}.</source>
        <translation>Gradientenprüfung: {verdict}. Größter relativer Fehler {error} ({worst}) {compared} {tolerance}, über {count} mit zentralen Differenzen verglichene Parameter{skipped}.</translation>
    </message>
    <message>
        <source>Start a run and press Step (→): the step it takes is taken apart here.</source>
        <translation>Starte einen Lauf und drücke Schritt (→): Der Schritt, den er macht, wird hier zerlegt.</translation>
    </message>
    <message>
        <source>This is the untrained network, before any step. Press Step (→) to take one step and see it taken apart here.</source>
        <translation>Das ist das untrainierte Netz, vor jedem Schritt. Drücke Schritt (→), um einen Schritt zu machen und ihn hier zerlegt zu sehen.</translation>
    </message>
    <message>
        <source>Step {step} was taken while the run ran freely, so its batch was not kept. Pause, then press Step (→): every step taken one at a time can be taken apart.</source>
        <translation>Schritt {step} wurde gemacht, während der Lauf frei lief, daher wurde sein Stapel nicht aufbewahrt. Halte an und drücke dann Schritt (→): Jeder einzeln gemachte Schritt lässt sich zerlegen.</translation>
    </message>
    <message>
        <source>The weights before or after step {step} are no longer in the record (a long run keeps fewer moments of its older epochs).</source>
        <translation>Die Gewichte vor oder nach Schritt {step} sind nicht mehr in der Aufzeichnung (ein langer Lauf behält von seinen älteren Epochen weniger Momente).</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>½ epoch/s</source>
        <translation>½ Epoche/s</translation>
    </message>
    <message>
        <source>1 epoch/s</source>
        <translation>1 Epoche/s</translation>
    </message>
    <message>
        <source>2 epochs/s</source>
        <translation>2 Epochen/s</translation>
    </message>
    <message>
        <source>5 epochs/s</source>
        <translation>5 Epochen/s</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Drag to show an earlier moment of the run in every view (Left/Right: one recorded moment; Home: the start; End: live)</source>
        <translation>Ziehen, um in jeder Ansicht einen früheren Moment des Laufs zu zeigen (Links/Rechts: ein aufgezeichneter Moment; Pos1: der Anfang; Ende: live)</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Follow the run as it trains (End)</source>
        <translation>Dem Lauf beim Trainieren folgen (Ende)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Replay the run from the moment shown to now</source>
        <translation>Den Lauf vom gezeigten Moment bis jetzt noch einmal abspielen</translation>
    </message>
    <message>
        <source>How fast Play replays the run</source>
        <translation>Wie schnell Abspielen den Lauf wiedergibt</translation>
    </message>
    <message>
        <source>no moments yet</source>
        <translation>noch keine Momente</translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>moment {moment} of {count}</source>
        <translation>Moment {moment} von {count}</translation>
    </message>
    <message>
        <source>epoch {epoch} · step {step} · {where}</source>
        <translation>Epoche {epoch} · Schritt {step} · {where}</translation>
    </message>
</context>
<context>
    <name>TwinPanel</name>
    <message>
        <source>Follows A: the twins train on the same batches, in the same order, for the same epochs (and A&apos;s early stopping pauses both).</source>
        <translation>Folgt A: Die Zwillinge trainieren mit denselben Stapeln, in derselben Reihenfolge, gleich viele Epochen (und das frühe Stoppen von A hält beide an).</translation>
    </message>
    <message>
        <source>Twin run: B beside A, on the same batches</source>
        <translation>Zwillingslauf: B neben A, mit denselben Stapeln</translation>
    </message>
    <message>
        <source>A is the settings column, B is set here. Start twin trains both at once, from their own start, on the same batches in the same order; Pause, Step and Step epoch act on both, and their curves and weights appear side by side below. Identical settings give identical numbers.</source>
        <translation>A ist die Einstellungsspalte, B wird hier eingestellt. „Zwilling starten“ trainiert beide gleichzeitig, jeden von seinem eigenen Start aus, mit denselben Stapeln in derselben Reihenfolge; Anhalten, Schritt und Ganze Epoche wirken auf beide, und ihre Kurven und Gewichte erscheinen unten nebeneinander. Gleiche Einstellungen ergeben gleiche Zahlen.</translation>
    </message>
    <message>
        <source>Copy A&apos;s settings</source>
        <translation>Einstellungen von A übernehmen</translation>
    </message>
    <message>
        <source>Start twin</source>
        <translation>Zwilling starten</translation>
    </message>
    <message>
        <source>B = A except: {differences}</source>
        <translation>B = A außer: {differences}</translation>
    </message>
    <message>
        <source>B = A: identical settings (the twins will agree to the last digit).</source>
        <translation>B = A: gleiche Einstellungen (die Zwillinge stimmen bis zur letzten Stelle überein).</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>Verwechslungsmatrix</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>vorhergesagt</translation>
    </message>
    <message>
        <source>true</source>
        <translation>richtig</translation>
    </message>
    <message>
        <source>Confusion: {split}</source>
        <translation>Verwechslungen: {split}</translation>
    </message>
    <message>
        <source>true {true} → predicted {predicted}: {count} ({share}% of the {true}s); click to see them</source>
        <translation>richtig {true} → vorhergesagt {predicted}: {count} ({share} % aller {true}); klicken, um sie zu sehen</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>misclassified (%)</source>
        <translation>falsch erkannt (%)</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>A perfect 0 % is drawn on the dashed line, at {floor} %: half of one example of {examples}, below any error but none</source>
        <translation>Perfekte 0 % werden auf der gestrichelten Linie bei {floor} % gezeichnet: ein halbes Beispiel von {examples}, unter jedem Fehler außer keinem</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>geglättet</translation>
    </message>
    <message>
        <source>train (epoch mean)</source>
        <translation>Training (Epochenmittel)</translation>
    </message>
    <message>
        <source>Misclassified images</source>
        <translation>Falsch erkannte Bilder</translation>
    </message>
    <message>
        <source>Every misclassified digit again, not one cell&apos;s</source>
        <translation>Wieder alle falsch erkannten Ziffern, nicht nur die einer Zelle</translation>
    </message>
    <message>
        <source>most confident first</source>
        <translation>die sichersten zuerst</translation>
    </message>
    <message>
        <source>right, the least sure first</source>
        <translation>richtig, die unsichersten zuerst</translation>
    </message>
    <message>
        <source>True {true} → predicted {predicted}: {count} digit, {order}</source>
        <translation>Richtig {true} → vorhergesagt {predicted}: {count} Ziffer, {order}</translation>
    </message>
    <message>
        <source>True {true} → predicted {predicted}: {count} digits, {order}</source>
        <translation>Richtig {true} → vorhergesagt {predicted}: {count} Ziffern, {order}</translation>
    </message>
    <message>
        <source>Misclassified: {wrong} of {total} ({share}), worst first</source>
        <translation>Falsch erkannt: {wrong} von {total} ({share}), die schlimmsten zuerst</translation>
    </message>
    <message>
        <source>the model&apos;s probability for its answer</source>
        <translation>die Wahrscheinlichkeit, die das Modell seiner Antwort gibt</translation>
    </message>
    <message>
        <source>the model&apos;s output for its answer, whose target is 1</source>
        <translation>die Ausgabe des Modells für seine Antwort, deren Ziel 1 ist</translation>
    </message>
    <message>
        <source>{split} images the model gets wrong, the most confident mistakes first: true class → predicted, and {figure}</source>
        <translation>Bilder ({split}), die das Modell falsch erkennt, die sichersten Irrtümer zuerst: richtige Klasse → vorhergesagt, und {figure}</translation>
    </message>
    <message>
        <source>probability {p}</source>
        <translation>Wahrscheinlichkeit {p}</translation>
    </message>
    <message>
        <source>output {y} (its target is 1)</source>
        <translation>Ausgabe {y} (ihr Ziel ist 1)</translation>
    </message>
    <message>
        <source>true {true} → predicted {predicted}, {how_sure}</source>
        <translation>richtig {true} → vorhergesagt {predicted}, {how_sure}</translation>
    </message>
    <message>
        <source>Weights of the first layer</source>
        <translation>Gewichte der ersten Schicht</translation>
    </message>
    <message>
        <source>Previous page of units</source>
        <translation>Vorige Seite der Einheiten</translation>
    </message>
    <message>
        <source>Next page of units</source>
        <translation>Nächste Seite der Einheiten</translation>
    </message>
    <message>
        <source>change since start</source>
        <translation>Änderung seit dem Start</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <source>W − W₀ shows what training has added to the random start</source>
        <translation>W − W₀ zeigt, was das Training zum zufälligen Start hinzugefügt hat</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>{sure}% sure</source>
        <translation>{sure} % sicher</translation>
    </message>
    <message>
        <source>each output is a probability of its own (sigmoid)</source>
        <translation>jede Ausgabe ist eine eigene Wahrscheinlichkeit (Sigmoid)</translation>
    </message>
    <message>
        <source>The network at work</source>
        <translation>Das Netz bei der Arbeit</translation>
    </message>
    <message>
        <source>Each unit is lit by its activation for the input; the lines are the strongest activation × weight into each unit (red +, blue −). Click a unit to see what it does.</source>
        <translation>Jede Einheit leuchtet mit ihrer Aktivierung für die Eingabe; die Linien sind die stärksten Beiträge Aktivierung × Gewicht in jede Einheit (rot +, blau −). Klicke auf eine Einheit, um zu sehen, was sie tut.</translation>
    </message>
    <message>
        <source>Cannot draw this network: {error}</source>
        <translation>Dieses Netz kann nicht gezeichnet werden: {error}</translation>
    </message>
    <message>
        <source>+ {count} more</source>
        <translation>+ {count} weitere</translation>
    </message>
    <message>
        <source>{count} units in this layer; the {shown} most active are shown</source>
        <translation>{count} Einheiten in dieser Schicht; die {shown} aktivsten werden gezeigt</translation>
    </message>
    <message>
        <source>The input the network reads; the lines start at the pixels that add most to each unit</source>
        <translation>Die Eingabe, die das Netz liest; die Linien beginnen an den Pixeln, die am meisten zu jeder Einheit beitragen</translation>
    </message>
    <message>
        <source>the input: {count} pixel values</source>
        <translation>die Eingabe: {count} Pixelwerte</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>values</source>
        <translation>Werte</translation>
    </message>
    <message>
        <source>the output layer: {count} units ({kind})</source>
        <translation>die Ausgabeschicht: {count} Einheiten ({kind})</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>hidden layer {layer}: {count} units, {activation}</source>
        <translation>verborgene Schicht {layer}: {count} Einheiten, {activation}</translation>
    </message>
    <message>
        <source>hidden {layer}</source>
        <translation>verborgen {layer}</translation>
    </message>
    <message>
        <source>output {unit} ({name})</source>
        <translation>Ausgabe {unit} ({name})</translation>
    </message>
    <message>
        <source>hidden layer {layer}, unit {unit}</source>
        <translation>verborgene Schicht {layer}, Einheit {unit}</translation>
    </message>
    <message>
        <source>{what}: activation {value}
Click to see what it does</source>
        <translation>{what}: Aktivierung {value}
Klicken, um zu sehen, was sie tut</translation>
    </message>
    <message>
        <source>linear regression: the outputs are values, not probabilities; the answer is the largest</source>
        <translation>lineare Regression: Die Ausgaben sind Werte, keine Wahrscheinlichkeiten; die Antwort ist der größte</translation>
    </message>
    <message>
        <source>class {unit}</source>
        <translation>Klasse {unit}</translation>
    </message>
    <message>
        <source>hidden unit {unit}</source>
        <translation>verborgene Einheit {unit}</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>Verborgene Einheiten</translation>
    </message>
    <message>
        <source>{first}–{last} of {units}</source>
        <translation>{first}–{last} von {units}</translation>
    </message>
    <message>
        <source>Start training to see the weights</source>
        <translation>Starte das Training, um die Gewichte zu sehen</translation>
    </message>
    <message>
        <source>Draw a digit with the mouse or a pen</source>
        <translation>Zeichne eine Ziffer mit der Maus oder einem Stift</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>Zeichne hier eine Ziffer</translation>
    </message>
    <message>
        <source>Select a unit (click one in the network view) to switch it off, scale or shift it.</source>
        <translation>Wähle eine Einheit (klicke eine im Netz an), um sie abzuschalten, zu skalieren oder zu verschieben.</translation>
    </message>
    <message>
        <source>This model has no biases: there is no bias to shift.</source>
        <translation>Dieses Modell hat keine Bias-Werte: Es gibt keinen Bias zum Verschieben.</translation>
    </message>
    <message>
        <source>Edits act on a copy of this moment&apos;s model: the run&apos;s own weights never change</source>
        <translation>Änderungen wirken auf eine Kopie des Modells dieses Moments: Die Gewichte des Laufs selbst ändern sich nie</translation>
    </message>
    <message>
        <source>Switch it off</source>
        <translation>Abschalten</translation>
    </message>
    <message>
        <source>A hidden unit off: its activation is 0 (its outgoing weights are zeroed). An output unit off: its score is 0 (its incoming weights and bias are zeroed).</source>
        <translation>Eine abgeschaltete verborgene Einheit hat die Aktivierung 0 (ihre ausgehenden Gewichte werden auf null gesetzt). Eine abgeschaltete Ausgabeeinheit hat den Wert 0 (ihre eingehenden Gewichte und ihr Bias werden auf null gesetzt).</translation>
    </message>
    <message>
        <source>Multiply the unit&apos;s incoming weights (0 to 3)</source>
        <translation>Die eingehenden Gewichte der Einheit multiplizieren (0 bis 3)</translation>
    </message>
    <message>
        <source>Add this to the unit&apos;s bias</source>
        <translation>Dies zum Bias der Einheit addieren</translation>
    </message>
    <message>
        <source>Zero this share of the layer&apos;s weights, the smallest in magnitude</source>
        <translation>Diesen Anteil der Gewichte der Schicht auf null setzen, die betragsmäßig kleinsten</translation>
    </message>
    <message>
        <source>Prune layer {layer}</source>
        <translation>Schicht {layer} ausdünnen</translation>
    </message>
    <message>
        <source>Reset edits</source>
        <translation>Änderungen zurücksetzen</translation>
    </message>
    <message>
        <source>Back to the moment&apos;s own model: every edit neutral</source>
        <translation>Zurück zum eigenen Modell des Moments: jede Änderung neutral</translation>
    </message>
    <message>
        <source>The edits act on a copy of this moment&apos;s model: the run&apos;s own weights never change.</source>
        <translation>Die Änderungen wirken auf eine Kopie des Modells dieses Moments: Die Gewichte des Laufs selbst ändern sich nie.</translation>
    </message>
    <message>
        <source>Incoming weights</source>
        <translation>Eingehende Gewichte</translation>
    </message>
    <message>
        <source>Bias shift</source>
        <translation>Bias-Verschiebung</translation>
    </message>
    <message>
        <source>Zero the smallest of the {count} weights of layer {layer} (by magnitude)</source>
        <translation>Die kleinsten der {count} Gewichte von Schicht {layer} auf null setzen (nach Betrag)</translation>
    </message>
    <message>
        <source>{split} accuracy {before} → … · loss {loss} → …</source>
        <translation>Genauigkeit ({split}) {before} → … · Verlust {loss} → …</translation>
    </message>
    <message>
        <source>{split} accuracy: computing…</source>
        <translation>Genauigkeit ({split}): wird berechnet…</translation>
    </message>
    <message>
        <source>{split} accuracy {before} → {after} · loss {loss_before} → {loss_after}</source>
        <translation>Genauigkeit ({split}) {before} → {after} · Verlust {loss_before} → {loss_after}</translation>
    </message>
    <message>
        <source>Load a dataset to measure the edits on its held-out set</source>
        <translation>Lade einen Datensatz, um die Änderungen auf seinen zurückgehaltenen Daten zu messen</translation>
    </message>
    <message>
        <source>Editing hidden unit {unit} of layer {layer}</source>
        <translation>Bearbeitet: verborgene Einheit {unit} von Schicht {layer}</translation>
    </message>
    <message>
        <source>Editing output unit {unit} (class {label})</source>
        <translation>Bearbeitet: Ausgabeeinheit {unit} (Klasse {label})</translation>
    </message>
    <message>
        <source>Could not evaluate the edited model: {error}</source>
        <translation>Das geänderte Modell konnte nicht bewertet werden: {error}</translation>
    </message>
    <message>
        <source>Your digit: {before} (no edits)</source>
        <translation>Deine Ziffer: {before} (keine Änderungen)</translation>
    </message>
    <message>
        <source>Your digit: {before} → {after}</source>
        <translation>Deine Ziffer: {before} → {after}</translation>
    </message>
    <message>
        <source>Your digit: {before} → …</source>
        <translation>Deine Ziffer: {before} → …</translation>
    </message>
    <message>
        <source>the logit: the output layer&apos;s score for the class</source>
        <translation>der Logit: der Wert der Ausgabeschicht für die Klasse</translation>
    </message>
    <message>
        <source>the logit minus the largest one: the same softmax, and exp never overflows</source>
        <translation>der Logit minus den größten: dieselbe Softmax, und exp läuft nie über</translation>
    </message>
    <message>
        <source>exp((z − max) / T): the class&apos;s share before normalising; the last row is their sum</source>
        <translation>exp((z − max) / T): der Anteil der Klasse vor dem Normieren; die letzte Zeile ist ihre Summe</translation>
    </message>
    <message>
        <source>the probability: exp((z − max)/T) divided by the sum</source>
        <translation>die Wahrscheinlichkeit: exp((z − max)/T) geteilt durch die Summe</translation>
    </message>
    <message>
        <source>The softmax of the output layer&apos;s scores z, number by number</source>
        <translation>Die Softmax der Werte z der Ausgabeschicht, Zahl für Zahl</translation>
    </message>
    <message>
        <source>Temperature T of this table only (the model&apos;s answer above keeps T = 1): T &gt; 1 flattens the distribution, T &lt; 1 sharpens it. Log scale, 0.1 to 10.</source>
        <translation>Temperatur T nur für diese Tabelle (die Antwort des Modells oben behält T = 1): T &gt; 1 macht die Verteilung flacher, T &lt; 1 schärfer. Logarithmische Skala, 0,1 bis 10.</translation>
    </message>
    <message>
        <source>linear regression</source>
        <translation>lineare Regression</translation>
    </message>
    <message>
        <source>trained with mean squared error</source>
        <translation>mit mittlerem quadratischem Fehler trainiert</translation>
    </message>
    <message>
        <source>{model}: its outputs are values, there is no softmax</source>
        <translation>{model}: Die Ausgaben sind Werte, es gibt keine Softmax</translation>
    </message>
    <message>
        <source>binary cross-entropy: each output is its own probability (a sigmoid of its own score), there is no softmax</source>
        <translation>binäre Kreuzentropie: Jede Ausgabe ist eine eigene Wahrscheinlichkeit (ein Sigmoid ihres eigenen Werts), es gibt keine Softmax</translation>
    </message>
    <message>
        <source>entropy {bits} bits (uniform: {uniform})</source>
        <translation>Entropie {bits} Bit (gleichverteilt: {uniform})</translation>
    </message>
    <message>
        <source>−Σ p log₂ p of the probabilities shown: 0 when the model is sure, {uniform} bits when all {k} classes are equally likely</source>
        <translation>−Σ p log₂ p der gezeigten Wahrscheinlichkeiten: 0, wenn das Modell sicher ist, {uniform} Bit, wenn alle {k} Klassen gleich wahrscheinlich sind</translation>
    </message>
    <message>
        <source>Click a unit in the network to see what it does</source>
        <translation>Klicke auf eine Einheit im Netz, um zu sehen, was sie tut</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>Ziffern</translation>
    </message>
    <message>
        <source>images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>A selected unit</source>
        <translation>Eine gewählte Einheit</translation>
    </message>
    <message>
        <source>The selected unit is not in this model.</source>
        <translation>Die gewählte Einheit gibt es in diesem Modell nicht.</translation>
    </message>
    <message>
        <source>Output unit {unit}: the score of class {name}</source>
        <translation>Ausgabeeinheit {unit}: der Wert der Klasse {name}</translation>
    </message>
    <message>
        <source>Output {unit}</source>
        <translation>Ausgabe {unit}</translation>
    </message>
    <message>
        <source>Hidden layer {layer}, unit {unit} of {width}</source>
        <translation>Verborgene Schicht {layer}, Einheit {unit} von {width}</translation>
    </message>
    <message>
        <source>Hidden {layer}, unit {unit}</source>
        <translation>Verborgen {layer}, Einheit {unit}</translation>
    </message>
    <message>
        <source>Its incoming weights, one per pixel: red positive, blue negative, white 0 (the colours run from −{limit} to +{limit})</source>
        <translation>Ihre eingehenden Gewichte, eins pro Pixel: rot positiv, blau negativ, weiß 0 (die Farben reichen von −{limit} bis +{limit})</translation>
    </message>
    <message>
        <source>Weights in (red +, blue −)</source>
        <translation>Gewichte hinein (rot +, blau −)</translation>
    </message>
    <message>
        <source>Weights in</source>
        <translation>Gewichte hinein</translation>
    </message>
    <message>
        <source>hidden layer {layer}</source>
        <translation>verborgener Schicht {layer}</translation>
    </message>
    <message>
        <source>the inputs</source>
        <translation>den Eingaben</translation>
    </message>
    <message>
        <source>Its incoming weights, one bar per unit of {source} ({count}): red positive, blue negative</source>
        <translation>Ihre eingehenden Gewichte, ein Balken pro Einheit von {source} ({count}): rot positiv, blau negativ</translation>
    </message>
    <message>
        <source>Weights in (from hidden {layer})</source>
        <translation>Gewichte hinein (aus verborgen {layer})</translation>
    </message>
    <message>
        <source>Its score among all the classes&apos; scores</source>
        <translation>Ihr Wert unter den Werten aller Klassen</translation>
    </message>
    <message>
        <source>All the scores</source>
        <translation>Alle Werte</translation>
    </message>
    <message>
        <source>Its output among all the classes&apos; outputs</source>
        <translation>Ihre Ausgabe unter den Ausgaben aller Klassen</translation>
    </message>
    <message>
        <source>All the outputs</source>
        <translation>Alle Ausgaben</translation>
    </message>
    <message>
        <source>What it adds to each class (activation × weight)</source>
        <translation>Was sie zu jeder Klasse beiträgt (Aktivierung × Gewicht)</translation>
    </message>
    <message>
        <source>Adds to each class</source>
        <translation>Beitrag zu jeder Klasse</translation>
    </message>
    <message>
        <source>activation × its weight into each class&apos;s score: what this unit adds to that score</source>
        <translation>Aktivierung × ihr Gewicht in den Wert jeder Klasse: was diese Einheit zu diesem Wert beiträgt</translation>
    </message>
    <message>
        <source>Direct contribution to the next layer (its {count} largest, by unit)</source>
        <translation>Direkter Beitrag zur nächsten Schicht (die {count} größten, nach Einheit)</translation>
    </message>
    <message>
        <source>Adds to the next layer</source>
        <translation>Beitrag zur nächsten Schicht</translation>
    </message>
    <message>
        <source>Direct contribution to the next layer (hidden layer {layer}): activation × weight into each of its units, the {count} largest, labelled by unit</source>
        <translation>Direkter Beitrag zur nächsten Schicht (verborgene Schicht {layer}): Aktivierung × Gewicht in jede ihrer Einheiten, die {count} größten, nach Einheit beschriftet</translation>
    </message>
    <message>
        <source>: nothing, it is off</source>
        <translation>: nichts, sie ist aus</translation>
    </message>
    <message>
        <source>: 0 (off)</source>
        <translation>: 0 (aus)</translation>
    </message>
    <message>
        <source>Held-out images that excite it most: no held-out set</source>
        <translation>Zurückgehaltene Bilder, die sie am stärksten anregen: keine zurückgehaltenen Daten</translation>
    </message>
    <message>
        <source>Top images: none</source>
        <translation>Top-Bilder: keine</translation>
    </message>
    <message>
        <source>Held-out {images} that excite it most: finding them…</source>
        <translation>Zurückgehaltene {images}, die sie am stärksten anregen: werden gesucht…</translation>
    </message>
    <message>
        <source>Top {images}…</source>
        <translation>Top-{images}…</translation>
    </message>
    <message>
        <source>{split} image {index}: a {label}, activation {activation}</source>
        <translation>Bild {index} ({split}): {label}, Aktivierung {activation}</translation>
    </message>
    <message>
        <source>Held-out {images} that excite it most</source>
        <translation>Zurückgehaltene {images}, die sie am stärksten anregen</translation>
    </message>
    <message>
        <source>Top {images}</source>
        <translation>Top-{images}</translation>
    </message>
    <message>
        <source>the {count} of the {total} {split} images with the largest activation of this unit, largest first (hover over one for its number)</source>
        <translation>die {count} der {total} Bilder ({split}) mit der größten Aktivierung dieser Einheit, die größte zuerst (mit der Maus darüber für ihre Nummer)</translation>
    </message>
    <message>
        <source>Held-out {images} that excite it most: could not find them</source>
        <translation>Zurückgehaltene {images}, die sie am stärksten anregen: konnten nicht gefunden werden</translation>
    </message>
    <message>
        <source>Top {images}: failed</source>
        <translation>Top-{images}: fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>Vitals</name>
    <message>
        <source>W{layer} now (blue) and W₀ (grey)</source>
        <translation>W{layer} jetzt (blau) und W₀ (grau)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>‖∇W{layer}‖ per step</source>
        <translation>‖∇W{layer}‖ pro Schritt</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>Norm</translation>
    </message>
    <message>
        <source>η‖∇W{layer}‖ / ‖W{layer}‖ per step</source>
        <translation>η‖∇W{layer}‖ / ‖W{layer}‖ pro Schritt</translation>
    </message>
    <message>
        <source>update ÷ weights</source>
        <translation>Änderung ÷ Gewichte</translation>
    </message>
    <message>
        <source>Train a run to see its vital signs.</source>
        <translation>Trainiere einen Lauf, um seine Vitalwerte zu sehen.</translation>
    </message>
    <message>
        <source>Vital signs at epoch {epoch} (step {step}): the weights against W₀, the gradients and the size of each update. A ratio far above the dashed {healthy} means steps too large for the weights; far below, learning stalls.</source>
        <translation>Vitalwerte in Epoche {epoch} (Schritt {step}): die Gewichte im Vergleich zu W₀, die Gradienten und die Größe jeder Änderung. Ein Verhältnis weit über der gestrichelten {healthy} bedeutet zu große Schritte für die Gewichte; weit darunter kommt das Lernen zum Stillstand.</translation>
    </message>
    <message>
        <source>No hidden layer: every unit is an output.</source>
        <translation>Keine verborgene Schicht: Jede Einheit ist eine Ausgabe.</translation>
    </message>
    <message>
        <source>hidden layer {layer} ({activation})</source>
        <translation>verborgene Schicht {layer} ({activation})</translation>
    </message>
    <message>
        <source>{layer}: {share} of its units dead (never active on 2,000 held-out digits)</source>
        <translation>{layer}: {share} ihrer Einheiten abgestorben (auf 2.000 zurückgehaltenen Ziffern nie aktiv)</translation>
    </message>
    <message>
        <source>{layer}: {share} of its outputs saturated (within 1% of its bounds)</source>
        <translation>{layer}: {share} ihrer Ausgaben gesättigt (weniger als 1 % von ihren Grenzen entfernt)</translation>
    </message>
    <message>
        <source>{layer}: linear, it cannot die or saturate</source>
        <translation>{layer}: linear, sie kann weder absterben noch sättigen</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Watch a neural network learn to read digits</source>
        <translation>Sieh zu, wie ein neuronales Netz Ziffern lesen lernt</translation>
    </message>
    <message>
        <source>Load a set of images to train on: MNIST&apos;s handwritten digits are the classic. Then choose a model on the left and press Start (Space pauses, → steps one batch). The plots, the weights the network learns, its mistakes and its confusion matrix appear here as it trains; the Inside tab lets you draw a digit and watch every layer answer.</source>
        <translation>Lade Bilder, mit denen trainiert werden soll: Die handgeschriebenen Ziffern von MNIST sind der Klassiker. Wähle dann links ein Modell und drücke Starten (die Leertaste hält an, → macht einen Stapel). Die Diagramme, die Gewichte, die das Netz lernt, seine Fehler und seine Verwechslungsmatrix erscheinen hier während des Trainings; im Tab „Innen“ kannst du eine Ziffer zeichnen und jeder Schicht beim Antworten zusehen.</translation>
    </message>
    <message>
        <source>Open {dataset}</source>
        <translation>{dataset} öffnen</translation>
    </message>
    <message>
        <source>Download {dataset}</source>
        <translation>{dataset} herunterladen</translation>
    </message>
    <message>
        <source>from its official mirrors, checked against published checksums</source>
        <translation>von den offiziellen Spiegelservern, geprüft mit den veröffentlichten Prüfsummen</translation>
    </message>
    <message>
        <source>Open a folder…</source>
        <translation>Einen Ordner öffnen…</translation>
    </message>
    <message>
        <source>any folder of MNIST-style IDX files (train-/t10k-, gzip or raw)</source>
        <translation>ein beliebiger Ordner mit IDX-Dateien wie bei MNIST (train-/t10k-, gzip-komprimiert oder roh)</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>There was not enough memory to build or train this model, so the run ended. Choose fewer or narrower hidden layers, or a smaller batch.</source>
        <translation>Der Speicher reichte nicht, um dieses Modell zu bauen oder zu trainieren, deshalb wurde der Lauf beendet. Wähle weniger oder schmalere verborgene Schichten oder einen kleineren Stapel.</translation>
    </message>
    <message>
        <source>Training stopped: {error}</source>
        <translation>Training abgebrochen: {error}</translation>
    </message>
    <message>
        <source>Epoch {epoch}, batch {batch} would have made the loss diverge at a learning rate of {rate}, so it was not applied. Lower the learning rate and press Reset to start again (Resume goes on from the last finite weights).</source>
        <translation>Epoche {epoch}, Stapel {batch} hätte den Verlust bei einer Lernrate von {rate} divergieren lassen und wurde deshalb nicht angewendet. Senke die Lernrate und drücke Zurücksetzen, um neu zu beginnen (Fortsetzen macht mit den letzten endlichen Gewichten weiter).</translation>
    </message>
    <message>
        <source> The model now holds epoch {best}&apos;s weights (File ▸ Save model keeps them).</source>
        <translation> Das Modell hat jetzt die Gewichte aus Epoche {best} (Datei ▸ Modell speichern bewahrt sie auf).</translation>
    </message>
    <message>
        <source>Stopped early: the held-out loss has not improved for {patience} epochs; the best was epoch {best}.{restored} Resume trains on; raise the patience (Early stop) to wait longer.</source>
        <translation>Früh gestoppt: Der Verlust auf den zurückgehaltenen Daten hat sich {patience} Epochen lang nicht verbessert; am besten war Epoche {best}.{restored} Fortsetzen trainiert weiter; erhöhe die Geduld (Früh stoppen), um länger zu warten.</translation>
    </message>
    <message>
        <source>B&apos;s step at epoch {epoch}, batch {batch} would have made its loss diverge at a learning rate of {rate}, so B stopped there. Resume trains A on alone; lower B&apos;s learning rate and start the twin again to compare.</source>
        <translation>Der Schritt von B in Epoche {epoch}, Stapel {batch} hätte seinen Verlust bei einer Lernrate von {rate} divergieren lassen, deshalb hat B dort aufgehört. Fortsetzen trainiert A allein weiter; senke die Lernrate von B und starte den Zwilling neu, um zu vergleichen.</translation>
    </message>
</context>
</TS>
