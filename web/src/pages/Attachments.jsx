import { api, ApiError } from "../api.js";
import DownloadButton from "../components/DownloadButton.jsx";
import { useWords } from "../words.js";

/** "1.2 MB", "340 kB": a file's size as a person reads it. */
export function bytes(size, language) {
  const format = (value, unit) => `${value.toLocaleString(language, { maximumFractionDigits: 1 })} ${unit}`;
  if (size >= 1024 * 1024) return format(size / (1024 * 1024), "MB");
  if (size >= 1024) return format(size / 1024, "kB");
  return format(size, "B");
}

const SCAN_WAIT_MS = [500, 1000, 2000, 4000, 8000];

/** One file's way to a case: announce it (API), post it straight to S3 with the presigned POST the API
 * answered (the API never carries file bytes), then have it checked out of quarantine. A malware scan that
 * is still running (409 scan_in_progress) or a service that is briefly unavailable (503: the check is safe
 * to repeat) is asked again a few times before giving up. */
export async function uploadFile({ formId, formVersion, kind, file, language }) {
  const started = await api("POST", "/uploads", {
    language,
    body: { formId, formVersion, kind, name: file.name, contentType: file.type, size: file.size },
  });
  const post = new FormData();
  for (const [name, value] of Object.entries(started.upload.fields)) post.append(name, value);
  post.append("file", file);
  const stored = await fetch(started.upload.url, { method: "POST", body: post });
  if (!stored.ok) throw new ApiError(stored.status, { title: `HTTP ${stored.status}` });
  for (const wait of [0, ...SCAN_WAIT_MS]) {
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await api("POST", `/uploads/${started.uploadId}/check`, { language });
    } catch (error) {
      const again = error.status === 503 || (error.status === 409 && error.problem?.code === "scan_in_progress");
      if (!again) throw error;
    }
  }
  throw new ApiError(409, { title: "scan_in_progress" });
}

/** The message a refused file earns: the server's own words (already in the reader's language). */
function refusal(error) {
  const detail = (error.problem?.errors || []).map((e) => e.message);
  return detail.length ? detail.join(" ") : error.problem?.detail || error.problem?.title || error.message;
}

/** An upload control per attachment kind the form declares, with the files already added under it.
 * ``files`` are {key, kind, name, size, state: "sending" | "clean" | "refused", uploadId?, error?}. */
export function AttachmentFields({ form, formId, files, setFiles, problems }) {
  const { language, t } = useWords();
  if (!form.attachments?.length) return null;
  const add = (kind, chosen) => {
    for (const file of chosen) {
      const key = `${kind.kind}-${file.name}-${Date.now()}-${Math.random()}`;
      const entry = { key, kind: kind.kind, name: file.name, size: file.size, state: "sending" };
      setFiles((current) => [...current, entry]);
      uploadFile({ formId, formVersion: form.version, kind: kind.kind, file, language })
        .then((upload) => update(key, { state: "clean", uploadId: upload.uploadId, sha256: upload.sha256 }))
        .catch((error) => update(key, { state: "refused", error: refusal(error) }));
    }
  };
  const update = (key, change) => setFiles((current) => current.map((f) => (f.key === key ? { ...f, ...change } : f)));
  const remove = (key) => setFiles((current) => current.filter((f) => f.key !== key));
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t.attachments}</h2>
      {form.attachments.map((kind) => (
        <AttachmentKind
          key={kind.kind}
          kind={kind}
          files={files.filter((f) => f.kind === kind.kind)}
          problem={problems?.[kind.kind]}
          onAdd={(chosen) => add(kind, chosen)}
          onRemove={remove}
         
         
        />
      ))}
    </section>
  );
}

function AttachmentKind({ kind, files, problem, onAdd, onRemove }) {
  const { language, t } = useWords();
  const inputId = `attachment-${kind.kind}`; // the error summary links here
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const kept = files.filter((f) => f.state !== "refused").length;
  const full = kept >= kind.maxCount;
  return (
    <fieldset className="attachment-kind" data-testid={`attachment-${kind.kind}`}>
      <legend>
        {kind.title}
        {kind.required ? ` (${t.required})` : ""}
      </legend>
      <p id={hintId} className="hint">
        {t.attachmentHint({
          types: kind.types.map((type) => type.split("/")[1].toUpperCase()).join(", "),
          size: bytes(kind.maxBytes, language),
          count: kind.maxCount,
        })}
      </p>
      {files.length > 0 && (
        <ul className="files">
          {files.map((file) => (
            <li key={file.key} data-state={file.state}>
              <span>{file.name}</span> <small>{bytes(file.size, language)}</small>{" "}
              <span role="status">{file.state === "sending" ? t.uploading : file.state === "clean" ? t.uploaded : ""}</span>
              {file.state === "refused" && (
                <span className="error" role="alert">
                  {" "}
                  {t.refused}: {file.error}
                </span>
              )}{" "}
              {file.state !== "sending" && (
                <button type="button" onClick={() => onRemove(file.key)} aria-label={`${t.remove} ${file.name}`}>
                  {t.remove}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p id={errorId} className="error" role="alert">
          {problem}
        </p>
      )}
      <label htmlFor={inputId}>{t.addFile}</label>
      <input
        id={inputId}
        type="file"
        accept={kind.types.join(",")}
        multiple={kind.maxCount - kept > 1}
        disabled={full}
        aria-describedby={problem ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => {
          onAdd([...event.target.files].slice(0, kind.maxCount - kept));
          event.target.value = "";
        }}
      />
    </fieldset>
  );
}

/** The server's attachment errors (pointer /attachments…) by kind, for showing at that kind's control. */
export function attachmentProblems(problem) {
  const byKind = {};
  for (const error of problem?.errors || []) {
    if (!error.pointer.startsWith("/attachments")) continue;
    const kind = error.params?.kind || "";
    byKind[kind] = byKind[kind] ? `${byKind[kind]} ${error.message}` : error.message;
  }
  return byKind;
}

/** The case's attachments: name, kind, size and SHA-256, each downloadable by whoever may see the case. */
export function AttachmentList({ found }) {
  const { language, t } = useWords();
  if (!found.attachments?.length) return null;
  return (
    <section aria-labelledby="case-attachments">
      <h2 id="case-attachments">{t.attachments}</h2>
      <ul className="files">
        {found.attachments.map((attachment) => (
          <li key={attachment.id} data-testid="attachment">
            <strong>{attachment.kindTitle}:</strong> {attachment.name} <small>{bytes(attachment.size, language)}</small>
            <br />
            <small className="hash">SHA-256 {attachment.sha256}</small>
            <DownloadButton
              path={`/cases/${found.caseId}/attachments/${attachment.id}`}
              label={`${t.download} ${attachment.name}`}
             
              testId={`download-${attachment.id}`}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
