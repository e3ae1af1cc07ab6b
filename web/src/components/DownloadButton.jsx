import { api } from "../api.js";
import { useWords } from "../words.js";

/** A button that fetches a short-lived download link (a PDF, a certificate, an attachment) and follows it. */
export default function DownloadButton({ path, label, testId }) {
  const { language } = useWords();
  return (
    <p>
      <button
        type="button"
        data-testid={testId}
        onClick={async () => {
          const link = await api("GET", path, { language });
          window.location.assign(link.url);
        }}
      >
        {label}
      </button>
    </p>
  );
}
